import PassageCore

/// Supervisors' view of account changes made in their organisation by administrators of
/// another one (Docs/security.md "7. Separation of duties").
enum SupervisorCommands {
    static func declarations(_ s: ConsoleServices) -> [CommandSpec] {
        let supervisor = Access.roles([.supervisor])
        let specs: [CommandSpec?] = [
            s.notices.map { CommandSpec("NOTICES", access: supervisor,
                        positional: [.optional("n", .integer(1...1000), default: .int(20), help: "how many notices")],
                        summary: "account changes other organisations' administrators made in yours, newest first", handler: $0) },
            s.userConfirm.map { CommandSpec("USER CONFIRM", access: supervisor, positional: [Arguments.userName],
                        summary: "let an account of your organisation that another organisation's administrator created or changed sign in",
                        handler: $0) },
        ]
        return specs.compactMap { $0 }
    }
}
