import Logging
import PassageStore
import Postgres

/// `passage serve --gaps-refresh N`: recomputes the GAPS rollup at start and every N minutes,
/// on one pooled connection, so that the common GAPS questions are answered from it (at most
/// N minutes plus one refresh old; Docs/performance.md measures the refresh).
///
/// A database with fewer than `smallestWorthARollup` needs is not rolled up: its base tables
/// answer every GAPS question within the console's goal, and a refresh would cost an idle server
/// about 3 MiB of resident memory (the query and encoding code it pages in; Docs/performance.md
/// "Memory") for nothing. The check is repeated at every interval, so the rollup starts when the
/// database grows past it.
enum GapRollupSchedule {
    static let smallestWorthARollup = 1_000

    static func start(pool: PostgresPool, every interval: Duration, logger: Logger) -> Task<Void, Never> {
        Task.detached(priority: .background) {
            while !Task.isCancelled {
                do {
                    let refresh = try await pool.withConnection { connection -> GapRollup.Refresh? in
                        guard try worthARollup(connection) else { return nil }
                        return try GapRollup().refresh(on: connection)
                    }
                    if let refresh {
                        logger.info("gaps rollup refreshed: \(refresh.rows) rows in \(refresh.took)")
                    } else {
                        logger.debug("gaps rollup not refreshed: fewer than \(smallestWorthARollup) needs, GAPS reads the base tables")
                    }
                } catch {
                    logger.warning("gaps rollup refresh failed (GAPS reads the base tables meanwhile): \(error)")
                }
                try? await Task.sleep(for: interval)
            }
        }
    }

    /// Whether the database holds at least `smallestWorthARollup` needs (counted no further).
    static func worthARollup(_ connection: PostgresConnection) throws -> Bool {
        let limit = Int64(smallestWorthARollup)
        let counted = try connection.query("SELECT count(*) FROM (SELECT 1 FROM needs LIMIT \(limit)) some")[0].decode(Int64.self, at: 0)
        return counted >= limit
    }
}
