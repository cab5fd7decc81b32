/// Whether the server a session is on is a standby, and how far behind its primary it is.
///
/// The lag is the replay lag, `now() - pg_last_xact_replay_timestamp()`, with one correction:
/// that clock also runs while the primary is idle (no new transaction to replay, so the last
/// replayed one grows old although nothing is missing). While the standby's WAL receiver is
/// connected and has replayed all it received (`pg_last_wal_receive_lsn() =
/// pg_last_wal_replay_lsn()`) the lag is zero. A standby cut off from its primary (no WAL
/// receiver) cannot know what it misses, so it keeps the age of its last replayed transaction:
/// an upper bound that grows until a `--read-max-lag`-style bound sends readers elsewhere.
public struct ReplicaStanding: Sendable, Equatable {
    /// False on a primary (then `lag` is zero).
    public let isStandby: Bool
    /// How far behind the primary; nil when the standby has replayed no transaction since it
    /// started and is not caught up (unknown: treat as beyond any bound).
    public let lag: Duration?

    public init(isStandby: Bool, lag: Duration?) {
        self.isStandby = isStandby
        self.lag = lag
    }
}

extension PostgresConnection {
    /// This session's server: primary or standby, and the standby's replay lag (one round trip;
    /// every function used is allowed to any role, `pg_stat_wal_receiver` shows any role a row
    /// while a receiver runs).
    public func replicaStanding() throws -> ReplicaStanding {
        let rows = try query(
            """
            SELECT pg_is_in_recovery(),
                   CASE WHEN NOT pg_is_in_recovery() THEN 0::float8
                        WHEN EXISTS (SELECT 1 FROM pg_stat_wal_receiver)
                             AND pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0::float8
                        ELSE greatest(0, extract(epoch FROM now() - pg_last_xact_replay_timestamp()))::float8
                   END
            """)
        guard let row = rows.first else { throw PostgresError.unexpected("the replica standing query returned no row") }
        let isStandby = try row.decode(Bool.self, at: 0)
        let seconds = try row.decode(Double?.self, at: 1)
        return ReplicaStanding(isStandby: isStandby, lag: seconds.map { .milliseconds(Int64(($0 * 1000).rounded())) })
    }
}
