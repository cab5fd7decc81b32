import Foundation
import PassageCore
import PassageServices
import Synchronization

/// CaseService in memory, for the console's tests: it records the facts and filters each use
/// case was given and answers with one canned case. `CASE SHOW 404` is not found, `CASE SHOW 451`
/// the database unavailable, `CASE SET` of any version but 1 a stale version; with a gate,
/// `CASE LIST` waits there until the test releases it (a command in flight).
final class FakeCaseService: CaseService {
    struct Calls {
        var opened: [EnteredFacts] = []
        var changed: [(caseID: Int64, expectedVersion: Int, facts: EnteredFacts)] = []
        var overridden: [(caseID: Int64, category: MovementCategory, reason: String)] = []
        var listed: [CaseFilter] = []
    }

    private let calls = Mutex(Calls())
    private let listGate: Gate?

    init(listGate: Gate? = nil) {
        self.listGate = listGate
    }

    var opened: [EnteredFacts] { calls.withLock { $0.opened } }
    var changed: [(caseID: Int64, expectedVersion: Int, facts: EnteredFacts)] { calls.withLock { $0.changed } }
    var overridden: [(caseID: Int64, category: MovementCategory, reason: String)] { calls.withLock { $0.overridden } }
    var listed: [CaseFilter] { calls.withLock { $0.listed } }

    /// The case every use case answers with, as case `id`.
    static func record(_ id: Int64, version: Int = 1, primary: String = "migrant_worker") -> CaseRecord {
        let facts = try! CaseFacts.decode(jsonLine: #"{"ref":"fake-\#(id)","current_country":"DE"}"#)
        return CaseRecord(
            id: id, organisationID: 1, ref: facts.ref, caseworker: "cara", facts: facts, version: version,
            classificationJSON: #"{"primary":"\#(primary)"}"#, primaryCategory: primary, categories: [primary],
            review: false, overridden: false, createdAt: Date(timeIntervalSince1970: 0),
            updatedAt: Date(timeIntervalSince1970: 0))
    }

    func open(_ facts: EnteredFacts, by actor: Actor) async throws(ServiceError) -> CaseRecord {
        calls.withLock { $0.opened.append(facts) }
        return Self.record(1)
    }

    func file(of caseID: Int64, by actor: Actor) async throws(ServiceError) -> CaseFile {
        switch caseID {
        case 404: throw .notFound("no such case 404")
        case 451: throw .unavailable("database unavailable")
        default: return CaseFile(record: Self.record(caseID), history: [], needs: [], referrals: [])
        }
    }

    func change(_ caseID: Int64, expectedVersion: Int, facts: EnteredFacts, by actor: Actor) async throws(ServiceError)
        -> CaseRecord
    {
        calls.withLock { $0.changed.append((caseID, expectedVersion, facts)) }
        guard expectedVersion == 1 else { throw .staleVersion("stale version") }
        return Self.record(caseID, version: 2)
    }

    func override(_ caseID: Int64, category: MovementCategory, reason: String, by actor: Actor)
        async throws(ServiceError) -> CaseRecord
    {
        calls.withLock { $0.overridden.append((caseID, category, reason)) }
        return Self.record(caseID, primary: category.rawValue)
    }

    func list(_ filter: CaseFilter, by actor: Actor) async throws(ServiceError) -> [CaseSummary] {
        calls.withLock { $0.listed.append(filter) }
        if let listGate {
            await listGate.arrive()
            await listGate.waitForRelease()
        }
        return [
            CaseSummary(
                id: 1, ref: "fake-1", version: 1, primaryCategory: "migrant_worker", review: false,
                updatedAt: Date(timeIntervalSince1970: 0))
        ]
    }

    func close(_ caseID: Int64, reason: ClosureReason, carryForward: Bool, by actor: Actor)
        async throws(ServiceError) -> CaseClosure
    {
        CaseClosure(
            caseID: caseID, event: .closed, reason: reason, carriedForward: [], decidedBy: actor.name,
            decidedRole: actor.role.rawValue, at: Date(timeIntervalSince1970: 0))
    }

    func reopen(_ caseID: Int64, by actor: Actor) async throws(ServiceError) -> CaseClosure {
        CaseClosure(
            caseID: caseID, event: .reopened, reason: nil, carriedForward: [], decidedBy: actor.name,
            decidedRole: actor.role.rawValue, at: Date(timeIntervalSince1970: 0))
    }

    /// The command-line use cases are not the console's: never called by its tests.
    func importCases(_ request: CaseImportRequest, by actor: Actor) async throws(ServiceError) -> CaseImportReport {
        throw .unavailable("not the console's")
    }

    func casesAwaitingReclassification(by actor: Actor) async throws(ServiceError) -> Int {
        throw .unavailable("not the console's")
    }

    func reclassify(
        batchSize: Int, by actor: Actor,
        progress: @escaping @Sendable (ReclassificationBatch) -> Void
    ) async throws(ServiceError) -> ReclassificationBatch {
        throw .unavailable("not the console's")
    }
}
