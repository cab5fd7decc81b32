import PassageCore
import PassageServices

/// `AUDIT TAIL` and `AUDIT VERIFY`: administrators read and check the audit trail (AuditService).
enum AuditCommands {
    static let declarations: [CommandSpec] = [tail, verify]

    static let tail = CommandSpec(
        "AUDIT TAIL", access: .roles(UseCase.auditTail.roles),
        positional: [.optional("n", .integer(1...10_000), default: .int(20), help: "how many entries")],
        summary: "the latest audit entries"
    ) { services, invocation, session in
        let entries = try await services.audit.tail(invocation.optionalInt("n") ?? 20, by: invocation.actor(session))
        let rows: [[ReplyValue]] = entries.map {
            [
                .int(Int($0.id)), .string(ConsoleTime.text($0.at)), .string($0.actor), .string($0.action),
                .string($0.subject), .string($0.source), .string($0.detail),
            ]
        }
        return .data(
            .table("audit", columns: ["id", "at", "actor", "action", "subject", "source", "detail"], rows: rows))
    }

    static let verify = CommandSpec(
        "AUDIT VERIFY", access: .roles(UseCase.auditVerify.roles),
        summary: "check the audit hash chain; names the first broken entry"
    ) { services, invocation, session in
        let intact = try await services.audit.verify(by: invocation.actor(session))
        guard let anchors = intact.anchors else {
            return .ok(
                [ReplyField("entries", .int(intact.entries))],
                message: "audit chain intact (no anchors kept outside the database)")
        }
        return .ok(
            [ReplyField("entries", .int(intact.entries)), ReplyField("anchors", .int(anchors))],
            message: "audit chain intact and matches every anchor")
    }
}
