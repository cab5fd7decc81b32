import Foundation
import PassageStore
import Postgres

/// `AUDIT TAIL` and `AUDIT VERIFY`: administrators read and check the audit trail. Entries
/// reference records (ids, codes, counts); they never copy personal data or free text, so
/// the trail is safe to show to an administrator who may not read cases.
struct AuditHandlers: Sendable {
    let store: StoreCall
    /// The chain's anchors outside the database; nil when `passage serve` keeps none.
    let anchors: AuditAnchors?

    func tail(_ invocation: Invocation, _ session: Session) async throws -> Reply {
        _ = try invocation.signedInUser()
        let count = invocation.optionalInt("n") ?? 20
        let entries = try await store.transaction { try AuditLog.tail(count, on: $0) }
        let rows: [[ReplyValue]] = entries.map {
            [.int(Int($0.id)), .string(ConsoleTime.text($0.at)), .string($0.actor), .string($0.action),
             .string($0.subject), .string($0.source), .string($0.detail)]
        }
        return .data(.table("audit", columns: ["id", "at", "actor", "action", "subject", "source", "detail"], rows: rows))
    }

    /// Walks the chain, then checks every anchor against it: a chain that holds together but
    /// was rewritten by someone with write access to the database fails at the first anchor
    /// after the rewrite. A chain that holds is anchored again, so each verification also
    /// narrows the window an undetected rewrite of the newest entries could use.
    func verify(_ invocation: Invocation, _ session: Session) async throws -> Reply {
        _ = try invocation.signedInUser()
        let anchors = self.anchors
        let outcome = try await store.transaction { connection -> (AuditVerification, AuditAnchorCheck?) in
            let chain = try AuditLog.verify(on: connection)
            guard case .intact = chain, let anchors else { return (chain, nil) }
            let check = try anchors.check(on: connection)
            if case .holds = check { try anchors.anchorHead(on: connection) }
            return (chain, check)
        }
        switch outcome {
        case (.broken(let id, let reason), _):
            throw ConsoleError.conflict("audit chain broken at entry \(id): \(reason)")
        case (.intact, .broken(_, _, let reason)?):
            throw ConsoleError.conflict("audit chain rewritten: \(reason)")
        case (.intact(let entries), .holds(let count)?):
            return .ok([ReplyField("entries", .int(entries)), ReplyField("anchors", .int(count))],
                       message: "audit chain intact and matches every anchor")
        case (.intact(let entries), nil):
            return .ok([ReplyField("entries", .int(entries))], message: "audit chain intact (no anchors kept outside the database)")
        }
    }
}
