import Foundation
import PassageCore
import PassageServices
import Synchronization

/// NeedService in memory, for the console's tests: it records the needs it was asked to add and
/// the status changes, and answers with need 1 of case 1.
final class FakeNeedService: NeedService {
    private let added = Mutex<[NewNeed]>([])
    private let changes = Mutex<[(needID: Int64, status: NeedStatus, expectedVersion: Int?)]>([])

    var needsAdded: [NewNeed] { added.withLock { $0 } }
    var statusChanges: [(needID: Int64, status: NeedStatus, expectedVersion: Int?)] { changes.withLock { $0 } }

    static func record(
        _ id: Int64, caseID: Int64 = 1, code: String = "LP", priority: Priority = .normal,
        status: NeedStatus = .open, version: Int = 1, note: String? = nil
    ) -> NeedRecord {
        NeedRecord(
            id: id, caseID: caseID, code: code, meaning: "legal protection", dimension: "protection",
            priority: priority.rawValue, status: status, identifiedBy: "cara",
            identifiedAt: Date(timeIntervalSince1970: 0),
            note: note, version: version, updatedAt: Date(timeIntervalSince1970: 0))
    }

    func add(_ need: NewNeed, by actor: Actor) async throws(ServiceError) -> NeedRecord {
        added.withLock { $0.append(need) }
        return Self.record(1, caseID: need.caseID, code: need.code, priority: need.priority, note: need.note)
    }

    func list(_ filter: NeedFilter, by actor: Actor) async throws(ServiceError) -> [NeedRecord] {
        [Self.record(1, caseID: filter.caseID)]
    }

    func setStatus(of needID: Int64, to status: NeedStatus, expectedVersion: Int?, by actor: Actor)
        async throws(ServiceError) -> NeedRecord
    {
        changes.withLock { $0.append((needID, status, expectedVersion)) }
        return Self.record(needID, status: status, version: (expectedVersion ?? 1) + 1)
    }
}
