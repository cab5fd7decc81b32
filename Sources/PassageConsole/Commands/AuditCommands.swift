import PassageCore
import PassageServices

/// `AUDIT TAIL` and `AUDIT VERIFY`: administrators read and check the audit trail (AuditService).
enum AuditCommands {
    static let declarations: [CommandSpec] = [tail, verify, person]

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

    static let person = CommandSpec(
        "AUDIT PERSON", access: .roles(UseCase.personAccess.roles),
        positional: [
            Arguments.id("case", "a case of the person"),
            .optional("csv", .choice(["csv"]), help: "the report as CSV lines, for a data-protection officer"),
        ],
        summary: "who read or changed a person's record: every audited access to their cases and referrals"
    ) { services, invocation, session in
        let accesses = try await services.audit.personAccess(
            ofCase: Int64(try invocation.int("case")), by: invocation.actor(session))
        if invocation.optionalText("csv") != nil {
            let csv = PersonAccess.csv(accesses).split(separator: "\r\n").map(String.init)
            return .data(.lines("person-access", csv))
        }
        let rows: [[ReplyValue]] = accesses.map {
            [
                .int(Int($0.entry)), .string(ConsoleTime.text($0.at)), .string($0.user),
                $0.organisation.map { .string($0) } ?? .null, .string($0.action), .string($0.command),
                .string($0.subject), .string($0.source),
            ]
        }
        return .data(
            .table(
                "person-access",
                columns: ["entry", "at", "user", "organisation", "action", "command", "subject", "source"],
                rows: rows))
    }
}
