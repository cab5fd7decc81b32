import Logging
import Metrics
import PassageStore
import Postgres

/// `passage serve --gaps-refresh N`: recomputes the GAPS rollup at start and every N minutes,
/// on one pooled connection, so that the common GAPS questions are answered from it (at most
/// N minutes plus one refresh old; Docs/performance.md measures the refresh).
///
/// A small database is not rolled up (`GapRollupWorth`); the check is repeated at every
/// interval, so the rollup starts when the database grows past it.
enum GapRollupSchedule {
    static func start(pool: PostgresPool, every interval: Duration, logger: Logger) -> Task<Void, Never> {
        Task.detached(priority: .background) {
            // Made at the first refresh: a rollup that never ran has no age (not 0).
            var age: Gauge?
            var refreshed: ContinuousClock.Instant?
            while !Task.isCancelled {
                do {
                    let refresh = try await pool.withConnection { connection -> GapRollup.Refresh? in
                        guard try GapRollupWorth.worthARollup(on: connection) else { return nil }
                        return try GapRollup().refresh(on: connection)
                    }
                    if let refresh {
                        refreshed = .now
                        if age == nil { age = Gauge(label: MetricNames.gapsRollupAge) }
                        logger.info("gaps rollup refreshed: \(refresh.rows) rows in \(refresh.took)")
                    } else {
                        logger.debug(
                            "gaps rollup not refreshed: fewer than \(GapRollupWorth.smallestWorthARollup) needs, GAPS reads the base tables"
                        )
                    }
                } catch {
                    logger.warning("gaps rollup refresh failed (GAPS reads the base tables meanwhile): \(error)")
                }
                // The age gauge moves between refreshes too (every 15 s), so an alert on it sees
                // a refresh that stopped happening.
                let next = ContinuousClock.now + interval
                while !Task.isCancelled, ContinuousClock.now < next {
                    if let refreshed { age?.record(Double((ContinuousClock.now - refreshed).components.seconds)) }
                    try? await Task.sleep(for: min(.seconds(15), next - ContinuousClock.now))
                }
            }
        }
    }
}
