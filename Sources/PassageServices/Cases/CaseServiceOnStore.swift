import PassageCore
import PassageStore
import Postgres

/// CaseService over PassageStore: each use case one transaction with its scope and audit entry,
/// so a change and the record of who made it commit together.
struct CaseServiceOnStore: CaseService {
    let store: StoreWork
    let cases: CaseStore
    let needs: NeedStore
    let referrals: ReferralStore
    /// The user's bulk-read budget `list` draws on (nil: unlimited).
    let bulkReads: BulkReadLimit?

    func open(_ facts: EnteredFacts, by actor: Actor) async throws(ServiceError) -> CaseRecord {
        try actor.require(.openCase)
        let facts = try facts.newCase()
        let cases = self.cases
        return try await store.scoped(actor) { connection, organisation in
            let record = try cases.create(facts, organisation: organisation, caseworker: actor.name, on: connection)
            try AuditLog.append(
                actor: actor.name, action: .caseCreate, subject: "case:\(record.id)", source: actor.source,
                on: connection)
            return record
        }
    }

    func file(of caseID: Int64, by actor: Actor) async throws(ServiceError) -> CaseFile {
        try actor.require(.showCase)
        let (cases, needs, referrals) = (self.cases, self.needs, self.referrals)
        return try await store.scoped(actor) { connection, organisation in
            let record = try cases.find(id: caseID, organisation: organisation, on: connection)
            let history = try cases.history(caseID: caseID, organisation: organisation, on: connection)
            let needList = try needs.list(caseID: caseID, organisation: organisation, on: connection)
            let referralList = try referrals.list(
                .init(caseID: caseID, limit: 1000), organisation: organisation, on: connection)
            let closures = try ClosureStore().history(caseID: caseID, on: connection)
            try AuditLog.append(
                actor: actor.name, action: .caseRead, subject: "case:\(caseID)", source: actor.source, on: connection)
            return CaseFile(
                record: record, history: history, needs: needList, referrals: referralList, closures: closures)
        }
    }

    func change(_ caseID: Int64, expectedVersion: Int, facts: EnteredFacts, by actor: Actor) async throws(ServiceError)
        -> CaseRecord
    {
        try actor.require(.changeCase)
        let cases = self.cases
        return try await store.scoped(actor) { connection, organisation in
            // The case first: a case that is not there (or not the actor's) is "not found"
            // whatever the facts say.
            let current = try cases.find(id: caseID, organisation: organisation, on: connection)
            let changed = try facts.applied(to: current.facts)
            let record = try cases.update(
                id: caseID, expectedVersion: expectedVersion, facts: changed, organisation: organisation,
                actor: actor.name, on: connection)
            try AuditLog.append(
                actor: actor.name, action: .caseUpdate, subject: "case:\(caseID)", source: actor.source,
                detail: "version \(record.version)", on: connection)
            return record
        }
    }

    func override(_ caseID: Int64, category: MovementCategory, reason: String, by actor: Actor)
        async throws(ServiceError) -> CaseRecord
    {
        try actor.require(.overrideCategory)
        // The store refuses an empty reason; its length is every interface's limit.
        guard reason.count <= 2000 else {
            throw .badArgument(argument: "reason", message: "must be at most 2000 characters")
        }
        let cases = self.cases
        return try await store.scoped(actor) { connection, organisation in
            let record = try cases.override(
                id: caseID, category: category.rawValue, reason: reason, organisation: organisation,
                supervisor: actor.name, on: connection)
            try AuditLog.append(
                actor: actor.name, action: .caseOverride, subject: "case:\(caseID)", source: actor.source,
                detail: category.rawValue, on: connection)
            return record
        }
    }

    func list(_ filter: CaseFilter, by actor: Actor) async throws(ServiceError) -> [CaseSummary] {
        try actor.require(.listCases)
        let cases = self.cases
        return try await bulkReads.reading(by: actor) { () async throws(ServiceError) -> [CaseSummary] in
            try await store.scoped(actor) { connection, organisation in
                let summaries = try cases.list(
                    organisation: organisation, category: filter.category?.rawValue,
                    reviewOnly: filter.reviewOnly, after: filter.after, limit: filter.limit, on: connection)
                try AuditLog.append(
                    actor: actor.name, action: .caseList, subject: "organisation:\(actor.organisation)",
                    source: actor.source, detail: "\(summaries.count) cases", on: connection)
                return summaries
            }
        }
    }
}
