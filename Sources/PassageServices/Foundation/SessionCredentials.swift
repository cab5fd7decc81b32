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

    /// The credentials of the session whose command is running: set by an interface around a
    /// signed-in request, read by the store work of the services, which checks them in the
    /// request's own transaction. A task-local, so no code between has to pass them on.
    @TaskLocal public static var current: SessionCredentials?
}

/// The words of an ended session, the same wherever it is noticed.
public enum SessionEnd {
    public static let reason = "session ended: the account was locked, removed or changed; sign in again"
}
