import Foundation
import PassageCore
import PassageServices
import Synchronization

/// AuditService in memory, for the console's tests: an empty, intact trail; refusals are kept
/// in `refusals` (shared by copies), so a test can see what the dispatcher recorded.
struct FakeAuditService: AuditService {
    final class Recorded: Sendable {
        let refusals = Mutex<[(refusal: Refusal, source: String)]>([])
    }

    let recorded = Recorded()

    func tail(_ count: Int, by actor: Actor) async throws(ServiceError) -> [AuditEntry] { [] }

    func verify(by actor: Actor) async throws(ServiceError) -> AuditChainIntact {
        AuditChainIntact(entries: 0, anchors: nil)
    }

    func personAccess(ofCase caseID: Int64, by actor: Actor) async throws(ServiceError) -> [PersonAccess] { [] }

    func recordRefusal(_ refusal: Refusal, source: String) async {
        recorded.refusals.withLock { $0.append((refusal, source)) }
    }
}
