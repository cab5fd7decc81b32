/// A console user as administrators see them in a list: never the password hash, nor the
/// ids and credentials epoch the store keeps to end sessions.
public struct UserRecord: Sendable, Equatable {
    public let name: String
    public let role: Role
    public let organisation: String
    /// Locked by an administrator (`USER LOCK`, `passage user lock`).
    public let locked: Bool

    public init(name: String, role: Role, organisation: String, locked: Bool) {
        self.name = name
        self.role = role
        self.organisation = organisation
        self.locked = locked
    }
}
