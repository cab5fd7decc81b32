import PassageCore

/// The use cases of cases: opening one from facts, reading it whole, changing its facts, a
/// supervisor's override of its classification, and listing an organisation's cases. Each runs
/// in the actor's organisation only and is audited in its own transaction.
public protocol CaseService: Sendable {
    /// Opens a case from `facts`, classified as it is stored (`CASE NEW`).
    func open(_ facts: EnteredFacts, by actor: Actor) async throws(ServiceError) -> CaseRecord
    /// The case with its classification history, needs and referrals; an audited read (`CASE SHOW`).
    func file(of caseID: Int64, by actor: Actor) async throws(ServiceError) -> CaseFile
    /// Changes the facts `facts` names, provided the case is still at `expectedVersion`, and
    /// classifies it again (`CASE SET`).
    func change(_ caseID: Int64, expectedVersion: Int, facts: EnteredFacts, by actor: Actor) async throws(ServiceError)
        -> CaseRecord
    /// A supervisor sets the category in force, with a reason; the rule result stays in the
    /// history (`CASE OVERRIDE`).
    func override(_ caseID: Int64, category: MovementCategory, reason: String, by actor: Actor)
        async throws(ServiceError) -> CaseRecord
    /// The actor's organisation's cases; a bulk read (`CASE LIST`).
    func list(_ filter: CaseFilter, by actor: Actor) async throws(ServiceError) -> [CaseSummary]
    /// Closes a case with a reason (`CASE CLOSE`, Docs/case-life.md): refused while a referral is
    /// open, or a need is open and `carryForward` is not given; by a supervisor where the
    /// organisation requires it. A closed case is read-only until reopened.
    func close(_ caseID: Int64, reason: ClosureReason, carryForward: Bool, by actor: Actor)
        async throws(ServiceError) -> CaseClosure
    /// A supervisor reopens a closed case (`CASE REOPEN`); carried-forward needs are open again to work on.
    func reopen(_ caseID: Int64, by actor: Actor) async throws(ServiceError) -> CaseClosure

    /// Imports a JSON Lines file of case facts through COPY, all or nothing unless bad lines
    /// are to be skipped (`passage import`, the operator's).
    func importCases(_ request: CaseImportRequest, by actor: Actor) async throws(ServiceError) -> CaseImportReport
    /// How many stored cases an earlier classifier version decided.
    func casesAwaitingReclassification(by actor: Actor) async throws(ServiceError) -> Int
    /// Classifies those cases again under this build's classifier, `batchSize` cases a
    /// transaction, telling `progress` the running total after each batch; one
    /// `cases.reclassify` entry with the totals at the end (`passage reclassify`, the operator's).
    func reclassify(
        batchSize: Int, by actor: Actor,
        progress: @escaping @Sendable (ReclassificationBatch) -> Void
    ) async throws(ServiceError) -> ReclassificationBatch
}
