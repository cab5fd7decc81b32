import CLibPQ

// Cached plans age out. A statement this layer prepares gets, after five runs, a generic plan
// made with the table sizes of that moment, which the server keeps until the table is next
// analysed. On a growing table that plan can go stale: made while `referrals` held a few rows,
// the REFER look-ups scanned it whole, and REFER ran at a quarter of its speed for the minute
// or so before autovacuum analysed the table (Docs/performance.md "REFER"). A fresh session
// plans again with the sizes of its time, so plans older than the pool's plan lifetime are
// dropped (`DISCARD PLANS`; the prepared statements stay) before the connection's next lease.

extension PostgresConnection {
    /// Drops the session's cached plans if they were made more than `lifetime` ago. Must be
    /// called outside a transaction (the pool calls it at the start of a lease).
    public func discardPlans(olderThan lifetime: Duration) throws {
        guard ContinuousClock.now - plansMadeAt > lifetime, !isInTransaction else { return }
        try executeScript("DISCARD PLANS")
        plansMadeAt = ContinuousClock.now
    }
}
