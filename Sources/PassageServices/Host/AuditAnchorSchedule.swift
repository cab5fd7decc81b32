import Logging
import Metrics
import PassageStore
import Postgres

/// `passage serve`: anchors the audit chain's head at start, every `--audit-anchor-interval`
/// seconds (only when the chain grew), and once more at shutdown (`anchorNow`), so that a
/// rewrite of the chain in the database is found by `AUDIT VERIFY` (Docs/security.md "6. Audit").
enum AuditAnchorSchedule {
    static func start(anchors: AuditAnchors, pool: PostgresPool, every interval: Duration, logger: Logger) -> Task<
        Void, Never
    > {
        Task.detached(priority: .background) {
            while !Task.isCancelled {
                await anchorNow(anchors: anchors, pool: pool, logger: logger)
                try? await Task.sleep(for: interval)
            }
        }
    }

    static func anchorNow(anchors: AuditAnchors, pool: PostgresPool, logger: Logger) async {
        do {
            if let anchor = try await pool.withConnection({ try anchors.anchorHead(on: $0) }) {
                // The operator's log gets the anchor too: a second copy out of the database's reach.
                logger.info("audit anchor \(anchor.sequence): entry \(anchor.entryID) hash \(anchor.hash)")
                // The head's entry id: entries are numbered in the chain's order under its lock, so
                // this is the chain's length (plus ids of appends rolled back).
                Gauge(label: MetricNames.auditChainLength).record(anchor.entryID)
            }
        } catch {
            logger.error("audit anchor not written (the chain is not anchored until the next attempt): \(error)")
        }
    }
}
