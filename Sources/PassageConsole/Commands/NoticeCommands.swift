import PassageCore
import PassageServices

/// Supervisors' view of account changes made in their organisation by administrators of
/// another one, and their confirmation (Docs/security.md "7. Separation of duties"). Both are
/// limited to the supervisor's own organisation.
enum NoticeCommands {
    static let declarations: [CommandSpec] = [notices, confirm]

    static let notices = CommandSpec(
        "NOTICES", access: .roles(UseCase.notices.roles),
        positional: [.optional("n", .integer(1...1000), default: .int(20), help: "how many notices")],
        summary: "account changes other organisations' administrators made in yours, newest first"
    ) { services, invocation, session in
        let notices = try await services.users.notices(invocation.optionalInt("n") ?? 20, by: invocation.actor(session))
        let rows: [[ReplyValue]] = notices.map {
            [
                .int(Int($0.id)), .string(ConsoleTime.text($0.at)), .string($0.actor), .string($0.actorOrganisation),
                .string($0.action), .string($0.subject), .string($0.detail),
            ]
        }
        return .data(
            .table(
                "notices", columns: ["id", "at", "actor", "actor_organisation", "action", "user", "detail"], rows: rows)
        )
    }

    static let confirm = CommandSpec(
        "USER CONFIRM", access: .roles(UseCase.confirmUser.roles), positional: [Arguments.userName],
        summary:
            "let an account of your organisation that another organisation's administrator created or changed sign in"
    ) { services, invocation, session in
        let name = try invocation.text("user")
        try await services.users.confirm(name, by: invocation.actor(session))
        return .ok([ReplyField("user", .string(name))], message: "confirmed: \(name) may sign in")
    }
}
