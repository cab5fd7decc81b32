import PassageCore
import Synchronization

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

/// The state of one console connection. Handlers change it (AUTH, FORMAT) while the server
/// reads it between commands; commands on one connection run one at a time, so there is never
/// contention, only safety. A lock rather than an actor: it is read several times per command,
/// and each actor hop cost a suspension and a task-status update on the request's path
/// (Docs/performance.md "REFER").
public final class Session: Sendable {
    /// The client's IP address (no port), for audit entries and per-address lockout.
    public let source: String
    private let state = Mutex(State())

    private struct State {
        var user: SignedInUser?
        var format = ReplyFormat.text
    }

    public init(source: String) {
        self.source = source
    }

    public var user: SignedInUser? { state.withLock { $0.user } }
    public var format: ReplyFormat { state.withLock { $0.format } }

    public func signIn(_ user: SignedInUser) {
        state.withLock { $0.user = user }
    }

    public func signOut() {
        state.withLock { $0.user = nil }
    }

    public func setFormat(_ format: ReplyFormat) {
        state.withLock { $0.format = format }
    }
}
