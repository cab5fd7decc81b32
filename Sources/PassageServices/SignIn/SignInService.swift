import PassageCore

/// How a sign-in attempt ended, as an interface sees it.
public enum SignInResult: Sendable, Equatable {
    case signedIn(
        user: String, role: Role, organisation: String, organisationID: Int64? = nil,
        credentials: SessionCredentials? = nil)
    /// Wrong name or password, or a locked account (indistinguishable on purpose).
    case failed
    /// Too many failed attempts from this address or network (or too many attempts at all);
    /// try again later. Said the same for known and unknown names.
    case locked
}

/// Signing in and keeping sessions honest (Docs/security.md "2." to "4.").
public protocol SignInService: Sendable {
    /// Checks a name and password from `source` (the client's address without port): first the
    /// network's attempt budget and a turn among the concurrent password checks, then the
    /// store's throttling and bcrypt check. Every failure and every sign-in is audited.
    func authenticate(user: String, password: String, source: String) async throws(ServiceError) -> SignInResult

    /// Of these signed-in sessions, those whose credentials have ended (the user was locked,
    /// removed, or given a new password or role): one question for all, for a server's sweep.
    func endedSessions(_ sessions: [SessionCredentials]) async throws(ServiceError) -> Set<SessionCredentials>

    /// Signs in exactly like `authenticate` (the same gate, throttling, password check and
    /// `user.sign_in` entry) and opens a token session lasting `lifetime` (nil: the server's
    /// default; 1 minute to 30 days, else `badArgument("lifetime")`), audited as `session.open`.
    /// Returns the token once; only its SHA-256 is stored (Docs/security.md "13. API session tokens").
    func openSession(user: String, password: String, source: String, lifetime: Duration?)
        async throws(ServiceError) -> SessionOpening

    /// The actor of the session `token` opened, acting from `source`, with the credentials every
    /// transaction of theirs is checked against. `sessionEnded` when the token is malformed
    /// (refused without asking the database), unknown, expired, signed out, or when the user was
    /// locked, removed or given a new password, role or name since: the console sessions' rule.
    func resume(token: String, source: String) async throws(ServiceError) -> Actor

    /// Signs the session out (audited as `session.close`); `sessionEnded` when the token opens
    /// no session that has not ended already.
    func closeSession(token: String, source: String) async throws(ServiceError)
}
