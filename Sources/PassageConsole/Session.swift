import PassageCore

/// Who is signed in on a connection.
public struct SignedInUser: Sendable, Equatable {
    public let name: String
    public let role: Role
    public let organisation: String
    /// The organisation's id as the store knows it, when the sign-in came from the store: lets
    /// a command enter the organisation's scope without looking its name up again.
    public let organisationID: Int64?

    public init(name: String, role: Role, organisation: String, organisationID: Int64? = nil) {
        self.name = name
        self.role = role
        self.organisation = organisation
        self.organisationID = organisationID
    }
}

/// The state of one console connection. An actor because handlers change it (AUTH, FORMAT)
/// while the server reads it between commands; commands on one connection run one at a time,
/// so there is never contention, only safety.
public actor Session {
    /// The client's IP address (no port), for audit entries and per-address lockout.
    public nonisolated let source: String
    public private(set) var user: SignedInUser?
    public private(set) var format: ReplyFormat = .text

    public init(source: String) {
        self.source = source
    }

    public func signIn(_ user: SignedInUser) {
        self.user = user
    }

    public func signOut() {
        self.user = nil
    }

    public func setFormat(_ format: ReplyFormat) {
        self.format = format
    }
}
