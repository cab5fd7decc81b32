import PassageCore
import PassageStore
import Postgres

/// Closing and reopening (Docs/case-life.md): each one transaction, the case locked, the life
/// history row and the audit entry committed with the change.
extension CaseServiceOnStore {
    func close(_ caseID: Int64, reason: ClosureReason, carryForward: Bool, by actor: Actor)
        async throws(ServiceError) -> CaseClosure
    {
        try actor.require(.closeCase)
        let closures = ClosureStore()
        return try await store.scoped(actor) { connection, organisation in
            let closed = try closures.lockedState(caseID: caseID, organisation: organisation, on: connection)
            guard !closed else { throw ServiceError.conflict("case \(caseID) is already closed") }
            if actor.role != .supervisor, try closures.needsSupervisor(organisation: organisation, on: connection) {
                throw ServiceError.permissionDenied(
                    "your organisation has a supervisor close its cases: ask a supervisor to close case \(caseID)")
            }
            let open = try closures.openCasework(caseID: caseID, on: connection)
            if let refusal = open.refusal(caseID: caseID, carryForward: carryForward) {
                throw ServiceError.conflict(refusal)
            }
            let closure = try closures.close(
                caseID: caseID, reason: reason, carriedForward: open.needs, by: actor.name, role: actor.role,
                on: connection)
            try AuditLog.append(
                actor: actor.name, action: .caseClose, subject: "case:\(caseID)", source: actor.source,
                detail: reason.rawValue
                    + (open.needs.isEmpty
                        ? "" : " carried forward needs " + open.needs.map(String.init).joined(separator: ",")),
                on: connection)
            return closure
        }
    }

    func reopen(_ caseID: Int64, by actor: Actor) async throws(ServiceError) -> CaseClosure {
        try actor.require(.reopenCase)
        let closures = ClosureStore()
        return try await store.scoped(actor) { connection, organisation in
            let closed = try closures.lockedState(caseID: caseID, organisation: organisation, on: connection)
            guard closed else { throw ServiceError.conflict("case \(caseID) is not closed") }
            let closure = try closures.reopen(caseID: caseID, by: actor.name, role: actor.role, on: connection)
            try AuditLog.append(
                actor: actor.name, action: .caseReopen, subject: "case:\(caseID)", source: actor.source,
                on: connection)
            return closure
        }
    }
}
