import Foundation
import PassageCore
import Postgres

/// A token session as the store finds it by its token's hash, with its user as they are now.
public struct TokenSessionState: Sendable, Equatable {
    public let id: Int64
    /// The user as they are now (name, role, organisation, lock, current epoch).
    public let account: UserAccount
    /// The user's credentials epoch when the session was opened.
    public let credentialsEpoch: Int64
    /// Past its expiry, by the database's clock.
    public let expired: Bool
    /// Signed out, or ended with its credentials.
    public let ended: Bool

    /// Whether the session may still act: the console sessions' rule (`passage_session_check`,
    /// Schema/0009: same epoch, not locked) plus expiry and sign-out.
    public var isLive: Bool {
        !expired && !ended && !account.disabled && account.credentialsEpoch == credentialsEpoch
    }
}

/// The token sessions of the HTTP API and web pages (Schema/0015, Docs/security.md "13. API
/// session tokens"). Holds only the tokens' SHA-256 (`SessionToken`), never a token.
public struct TokenSessionStore: Sendable {
    /// Expired rows removed by one sign-in at most: a sign-in adds one row and removes up to
    /// this many, so dead rows never pile up, and no sign-in pays for a large backlog at once.
    static let purgedPerSignIn = 100

    public init() {}

    /// Records a session for `account` that expires `lifetime` from now (the database's clock),
    /// in the caller's transaction, and first removes up to `purgedPerSignIn` expired ones (sent
    /// in the same round trip). Returns the session's id and expiry.
    public func open(
        tokenHash: Data, for account: UserAccount, lifetime: Duration, source: String,
        on connection: PostgresConnection
    ) throws -> (id: Int64, expires: Date) {
        let seconds = lifetime.secondsValue
        try connection.runWithNext(
            """
            DELETE FROM api_sessions WHERE id IN (
                SELECT id FROM api_sessions WHERE expires_at < now() LIMIT \(Int32(Self.purgedPerSignIn)))
            """)
        let row = try connection.query(
            """
            INSERT INTO api_sessions (token_hash, user_id, credentials_epoch, expires_at, source)
            VALUES (\(tokenHash), \(account.id), \(account.credentialsEpoch), now() + make_interval(secs => \(seconds)),
                    \(source))
            RETURNING id, expires_at
            """)[0]
        return try row.decode((Int64, Date).self)
    }

    /// The session whose token hashes to `tokenHash`, or nil when there is none (never opened,
    /// purged, or its user removed). One statement on the unique index, sent with the caller's
    /// COMMIT (it ends the transaction: one round trip in all); it also notes the use, at most
    /// once a minute per session, so a busy token does not write on every request.
    public func find(tokenHash: Data, on connection: PostgresConnection) throws -> TokenSessionState? {
        let rows = try connection.queryCommitting(
            """
            WITH s AS (
                SELECT id, user_id, credentials_epoch, expires_at <= now() AS expired, ended_at IS NOT NULL AS ended,
                       last_used_at
                  FROM api_sessions WHERE token_hash = \(tokenHash)
            ), touched AS (
                UPDATE api_sessions a SET last_used_at = now() FROM s
                 WHERE a.id = s.id AND NOT s.expired AND NOT s.ended
                   AND (s.last_used_at IS NULL OR s.last_used_at < now() - interval '1 minute')
                RETURNING a.id
            )
            SELECT \(UserStore.accountColumns), s.id, s.credentials_epoch, s.expired, s.ended
              FROM s JOIN users u ON u.id = s.user_id JOIN organisations o ON o.id = u.organisation_id
            """)
        guard let row = rows.first else { return nil }
        let account = try UserStore.account(from: row)
        let (id, epoch, expired, ended) = try row.decode((Int64, Int64, Bool, Bool).self, startingAt: 7)
        return TokenSessionState(id: id, account: account, credentialsEpoch: epoch, expired: expired, ended: ended)
    }

    /// Marks the session ended (sign-out), in the caller's transaction; its id and its user's
    /// name, or nil when there is no such session or it had ended already.
    public func end(tokenHash: Data, on connection: PostgresConnection) throws -> (id: Int64, user: String)? {
        try connection.query(
            """
            UPDATE api_sessions s SET ended_at = now() FROM users u
             WHERE s.token_hash = \(tokenHash) AND s.ended_at IS NULL AND u.id = s.user_id
            RETURNING s.id, u.name
            """
        ).first.map { try $0.decode((Int64, String).self) }
    }
}
