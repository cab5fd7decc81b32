import PassageCore
import PassageServices
import Synchronization

/// Who is signed in on a connection.
public struct SignedInUser: Sendable, Equatable {
    public let name: String
    public let role: Role
    public let organisation: String
    /// The organisation's id as the store knows it, when the sign-in came from the store: lets
    /// a command enter the organisation's scope without looking its name up again.
    public let organisationID: Int64?
    /// The account's id and credentials epoch when the sign-in came from the store: each of the
    /// session's transactions checks them (`SessionCredentials`).
    public let credentials: SessionCredentials?

    public init(
        name: String, role: Role, organisation: String, organisationID: Int64? = nil,
        credentials: SessionCredentials? = nil
    ) {
        self.name = name
        self.role = role
        self.organisation = organisation
        self.organisationID = organisationID
        self.credentials = credentials
    }
}

/// The state of one console connection. Handlers change it (AUTH, FORMAT) while the server
/// reads it between commands; commands on one connection run one at a time, so there is never
/// contention, only safety. A lock rather than an actor: it is read several times per command,
/// and each actor hop cost a suspension and a task-status update on the request's path
/// (Docs/performance.md "REFER").
///
/// A connection that is not signed in holds a place among the server's unauthenticated
/// connections (`UnauthenticatedConnections`) and has a sign-in deadline; signing in gives the
/// place back, signing out (a failed AUTH, ended credentials) takes one again and starts a new
/// deadline.
public final class Session: Sendable {
    /// The client's IP address (no port), for audit entries and sign-in throttling.
    public let source: String
    private let state: Mutex<State>
    private let place: UnauthenticatedConnections.Place?

    private struct State {
        var user: SignedInUser?
        var format = ReplyFormat.text
        /// Why the last session ended, when its credentials did (the next command's 514 says so).
        var endedReason: String?
        /// Since when the connection has not been signed in; nil while it is.
        var unauthenticatedSince: ContinuousClock.Instant?
        var holdsPlace: Bool
        var closed = false
    }

    public convenience init(source: String) {
        self.init(source: source, place: nil)
    }

    /// - Parameter place: the unauthenticated place the connection was admitted with.
    init(source: String, place: UnauthenticatedConnections.Place?, now: ContinuousClock.Instant = .now) {
        self.source = source
        self.place = place
        self.state = Mutex(State(unauthenticatedSince: now, holdsPlace: place != nil))
    }

    public var user: SignedInUser? { state.withLock { $0.user } }
    public var format: ReplyFormat { state.withLock { $0.format } }
    /// Set when the session was ended because its user's credentials changed, until the next sign-in.
    public var endedReason: String? { state.withLock { $0.endedReason } }
    /// When the connection stopped being signed in (or opened); nil while signed in.
    var unauthenticatedSince: ContinuousClock.Instant? { state.withLock { $0.unauthenticatedSince } }

    public func signIn(_ user: SignedInUser) {
        let release = state.withLock { fields -> Bool in
            fields.user = user
            fields.endedReason = nil
            fields.unauthenticatedSince = nil
            defer { fields.holdsPlace = false }
            return fields.holdsPlace
        }
        if release { place?.release() }
    }

    public func signOut() {
        signOut(reason: nil, onlyIf: nil)
    }

    /// Ends the session because its credentials ended (`SessionCheck`). With `credentials`, only
    /// if the session still runs on them (a sign-in since then is left alone). True when it ended.
    @discardableResult
    public func end(reason: String, ifCredentials credentials: SessionCredentials? = nil) -> Bool {
        signOut(reason: reason, onlyIf: credentials)
    }

    @discardableResult
    private func signOut(reason: String?, onlyIf credentials: SessionCredentials?) -> Bool {
        let (ended, take) = state.withLock { fields -> (Bool, Bool) in
            guard let user = fields.user else { return (false, false) }
            if let credentials, user.credentials != credentials { return (false, false) }
            fields.user = nil
            fields.endedReason = reason
            fields.unauthenticatedSince = .now
            let take = place != nil && !fields.closed && !fields.holdsPlace
            if take { fields.holdsPlace = true }
            return (true, take)
        }
        if take { place?.retake() }
        return ended
    }

    /// The connection is gone: its unauthenticated place, if it holds one, is free again.
    func connectionClosed() {
        let release = state.withLock { fields -> Bool in
            fields.closed = true
            defer { fields.holdsPlace = false }
            return fields.holdsPlace
        }
        if release { place?.release() }
    }

    public func setFormat(_ format: ReplyFormat) {
        state.withLock { $0.format = format }
    }
}
