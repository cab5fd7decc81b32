import PassageServices
import Postgres

/// The shares one user may take of the server (Docs/security.md, "Heavy queries" and "Bulk-read
/// rate limit"): heavy queries at once, and bulk-read rows a minute (nil: unlimited). The
/// heavy queries' own connections, when given, keep STATS and GAPS off the casework pool.
public struct ServiceLimits: Sendable {
    public var heavyQueries: HeavyQueryGate
    public var bulkReads: BulkReadLimit?
    /// A separate, small pool for STATS and GAPS (with a longer statement timeout); nil: the
    /// casework pool.
    public var heavyPool: PostgresPool?

    public init(
        heavyQueries: HeavyQueryGate = HeavyQueryGate(), bulkReads: BulkReadLimit? = BulkReadLimit(),
        heavyPool: PostgresPool? = nil
    ) {
        self.heavyQueries = heavyQueries
        self.bulkReads = bulkReads
        self.heavyPool = heavyPool
    }
}
