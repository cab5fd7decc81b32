import PassageCore
import PassageStore
import Postgres

/// "Who saw my data" (Docs/case-life.md): the case must be the administrator's organisation's;
/// the report and its own audit entry are one transaction, so a report nobody can trace is never read.
extension AuditServiceOnStore {
    func personAccess(ofCase caseID: Int64, by actor: Actor) async throws(ServiceError) -> [PersonAccess] {
        try actor.require(.personAccess)
        return try await store.scoped(actor) { connection, organisation in
            let accesses = try PersonAccessLog.accesses(ofCase: caseID, organisation: organisation, on: connection)
            try AuditLog.append(
                actor: actor.name, action: .auditPerson, subject: "case:\(caseID)", source: actor.source,
                detail: "\(accesses.count) entries", on: connection)
            return accesses
        }
    }
}
