import PassageCore
import PassageStore
import Postgres

/// The duplicate check after a person is recorded (`PERSON SET`, Docs/finding-persons.md): the
/// persons of the same and of other organisations that the person strongly matches are recorded
/// as candidate pairs, with one `duplicate.found` entry naming the new pairs (never a value).
///
/// Its own transaction, after the recording committed and outside the organisation's scope:
/// the other organisations' halves cannot be written in the recording organisation's scope
/// (row-level security), and the registration must not wait on, or fail with, the check — a
/// check that fails is retried by the person's next `PERSON SET` and leaves the recording as it is.
struct DuplicateRegistrationCheck: Sendable {
    let store: StoreWork
    let index: PersonIndexStore
    let pairs = DuplicatePairStore()

    /// The ids of the pairs recorded for the person of case `caseID`.
    @discardableResult
    func run(caseID: Int64, by actor: Actor) async -> [Int64] {
        let index = self.index
        let pairs = self.pairs
        let recorded = try? await store.transaction(actor) { connection -> [Int64] in
            let organisation =
                try actor.organisationID
                ?? OrganisationStore.id(named: actor.organisation, create: false, on: connection)
            guard
                let (personID, candidates) = try index.duplicateCandidates(
                    ofCase: caseID, organisation: organisation, on: connection),
                !candidates.isEmpty
            else { return [] }
            let recorded = try pairs.record(
                personID: personID, caseID: caseID, organisation: organisation, candidates: candidates,
                on: connection)
            if !recorded.isEmpty {
                try AuditLog.append(
                    actor: actor.name, action: .duplicateFound, subject: "case:\(caseID)", source: actor.source,
                    detail: "pairs " + recorded.map(String.init).joined(separator: ","), on: connection)
            }
            return recorded
        }
        return recorded ?? []
    }
}
