import Logging
import PassageCore

/// `passage serve`: the retention sweep, once a day (Docs/case-life.md "Retention and
/// erasure"). Each run first finishes interrupted erasures, then erases every person whose
/// cases have all been closed for longer than their organisation's retention period. The
/// first run comes one interval after the start (the start itself already reconciled).
enum RetentionSchedule {
    static func start(_ erasure: any ErasureService, every interval: Duration, operatorName: String, logger: Logger)
        -> Task<Void, Never>
    {
        Task.detached(priority: .background) {
            let actor = Actor(
                name: "retention", role: .admin, organisation: "", source: "server:\(operatorName)")
            while !Task.isCancelled {
                do {
                    try await Task.sleep(for: interval)
                } catch {
                    return
                }
                do {
                    let report = try await erasure.eraseExpired(by: actor)
                    if report.erased + report.reconciled + report.failed > 0 {
                        logger.info(
                            "retention sweep: \(report.erased) persons erased, \(report.reconciled) interrupted erasures finished, \(report.failed) failed"
                        )
                    }
                } catch {
                    logger.warning("retention sweep failed (retried at the next): \(error)")
                }
            }
        }
    }
}
