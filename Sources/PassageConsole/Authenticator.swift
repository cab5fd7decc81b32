import PassageCore

/// The result of checking a user name and password.
public enum AuthOutcome: Sendable, Equatable {
    case signedIn(user: String, role: Role, organisation: String, organisationID: Int64? = nil,
                  credentials: SessionCredentials? = nil)
    /// Wrong name or password, or a locked account (indistinguishable on purpose).
    case failed
    /// Too many failed attempts from this address or network (or too many attempts at all);
    /// try again later. Said the same for known and unknown names.
    case locked
}

/// Checks passwords; implemented over the user store by the executable.
public protocol Authenticator: Sendable {
    /// - Parameter source: the client's address, so throttling can apply per address too.
    func authenticate(user: String, password: String, source: String) async throws -> AuthOutcome
}

/// What a signed-in session remembers of its credentials, so that a lock, a new password, a new
/// role or the account's removal ends it (Docs/security.md "2. Sessions end with their
/// credentials"): the user's id and the credentials epoch it signed in with.
public struct SessionCredentials: Sendable, Hashable {
    public let userID: Int64
    public let epoch: Int64

    public init(userID: Int64, epoch: Int64) {
        self.userID = userID
        self.epoch = epoch
    }

    /// The credentials of the session whose command is running: set by the dispatcher around a
    /// signed-in command's handler, read by `StoreCall`, which checks them in the command's own
    /// transaction. A task-local, so no handler has to pass them on.
    @TaskLocal public static var current: SessionCredentials?
}
