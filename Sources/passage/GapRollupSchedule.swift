import Logging
import PassageStore
import Postgres

/// `passage serve --gaps-refresh N`: recomputes the GAPS rollup at start and every N minutes,
/// on one pooled connection, so that the common GAPS questions are answered from it (at most
/// N minutes plus one refresh old; Docs/performance.md measures the refresh).
enum GapRollupSchedule {
    static func start(pool: PostgresPool, every interval: Duration, logger: Logger) -> Task<Void, Never> {
        Task.detached(priority: .background) {
            while !Task.isCancelled {
                do {
                    let refresh = try await pool.withConnection { try GapRollup().refresh(on: $0) }
                    logger.info("gaps rollup refreshed: \(refresh.rows) rows in \(refresh.took)")
                } catch {
                    logger.warning("gaps rollup refresh failed (GAPS reads the base tables meanwhile): \(error)")
                }
                try? await Task.sleep(for: interval)
            }
        }
    }
}
