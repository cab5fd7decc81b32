import Logging
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
            while !Task.isCancelled {
                do {
                    let refresh = try await pool.withConnection { connection -> GapRollup.Refresh? in
                        guard try GapRollupWorth.worthARollup(on: connection) else { return nil }
                        return try GapRollup().refresh(on: connection)
                    }
                    if let refresh {
                        logger.info("gaps rollup refreshed: \(refresh.rows) rows in \(refresh.took)")
                    } else {
                        logger.debug(
                            "gaps rollup not refreshed: fewer than \(GapRollupWorth.smallestWorthARollup) needs, GAPS reads the base tables"
                        )
                    }
                } catch {
                    logger.warning("gaps rollup refresh failed (GAPS reads the base tables meanwhile): \(error)")
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
