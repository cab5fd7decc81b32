import Postgres

/// Whether a signed-in session's credentials still hold (Docs/security.md "2. Sessions end
/// with their credentials"): the user still exists, is not locked, and has the credentials
/// epoch the session signed in with (migration 0009).
public enum SessionCheck {
    /// The SQLSTATE `passage_session_check` raises.
    public static let sqlState = "PS514"

    /// Checks the session in the transaction that is about to run, sent with its first
    /// statement (one index look-up, no round trip of its own). If the session has ended, that
    /// statement throws an error for which `isSessionEnded` is true, and nothing of the
    /// transaction happens.
    public static func enqueue(userID: Int64, epoch: Int64, on connection: PostgresConnection) throws {
        try connection.runWithNext("SELECT passage_session_check(\(userID), \(epoch))")
    }

    public static func isSessionEnded(_ error: any Error) -> Bool {
        (error as? PostgresError)?.serverError?.sqlState == sqlState
    }

    /// Of the given sessions (user id, epoch), those that have ended: for the server's periodic
    /// sweep, which also reaches idle sessions and commands that touch no data.
    public static func ended(_ sessions: [(userID: Int64, epoch: Int64)], on connection: PostgresConnection) throws
        -> [(userID: Int64, epoch: Int64)]
    {
        guard !sessions.isEmpty else { return [] }
        let ids = sessions.map { Int($0.userID) }
        let epochs = sessions.map { Int($0.epoch) }
        return try connection.query(
            """
            SELECT s.id, s.epoch FROM unnest(\(ids)::int8[], \(epochs)::int8[]) AS s(id, epoch)
             WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = s.id AND u.credentials_epoch = s.epoch AND NOT u.disabled)
            """
        ).map { try $0.decode((Int64, Int64).self) }
    }
}
