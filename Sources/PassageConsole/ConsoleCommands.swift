import PassageCore

/// The one declaration of every console command (contract: shared/spec/console.md).
/// Store-backed handlers come from `ConsoleServices`; the console's own commands are built in.
public enum ConsoleCommands {
    public static func table(_ services: ConsoleServices) -> CommandTable {
        // HELP shows the table it belongs to; the table's readable part does not depend on the
        // handlers, so it is read from a first declaration pass and handed to the real HELP.
        let catalog = HelpCatalog(declarations(services, help: BuiltinCommands.help { HelpCatalog([]) }))
        return CommandTable(
            declarations(services, help: BuiltinCommands.help { catalog }), services: services.application)
    }

    /// The readable table, without any services: what Docs are generated from
    /// (`roleMatrixMarkdown()`, `referenceMarkdown()`).
    public static func documentation() -> HelpCatalog {
        HelpCatalog(declarations(.declarationsOnly, help: BuiltinCommands.help { HelpCatalog([]) }))
    }

    static func declarations(_ s: ConsoleServices, help: CommandSpec) -> [CommandSpec] {
        [
            BuiltinCommands.ping(), SignInCommands.auth, BuiltinCommands.quit(), help,
            BuiltinCommands.format(), BuiltinCommands.whoami(),
        ]
            + CaseCommands.declarations + PersonCommands.declarations + NeedCommands.declarations
            + ProviderCommands.declarations + ReferralCommands.declarations
            + InsightCommands.declarations(s) + AuditCommands.declarations + UserCommands.declarations
            + NoticeCommands.declarations
    }
}

/// Shared argument declarations, so the same argument reads the same everywhere.
enum Arguments {
    static func id(_ name: String, _ help: String) -> ArgumentSpec { ArgumentSpec(name, .id, help: help) }
    static let note = ArgumentSpec.optional("note", .text(maxLength: 2000), help: "free text")
    static let priority = ArgumentSpec.optional(
        "priority", .choice(ConsoleVocabulary.priorities), default: .text(Priority.normal.rawValue),
        help: "emergency (24 h), urgent (72 h) or normal (2 weeks)")
    static let by = ArgumentSpec.optional(
        "by", .list(.oneOf(ConsoleVocabulary.dimensions)),
        help: "dimensions to group by: " + ConsoleVocabulary.dimensions.joined(separator: ", "))
    static let userName = ArgumentSpec("user", .text(maxLength: 64), help: "user name")
}

enum InsightCommands {
    static func declarations(_ s: ConsoleServices) -> [CommandSpec] {
        let aggregate = Access.roles(Role.aggregateOnly)
        let specs: [CommandSpec?] = [
            StatsCommands.stats,
            s.gaps.map {
                CommandSpec(
                    "GAPS", access: aggregate,
                    positional: [
                        ArgumentSpec(
                            "kind", .choice(ConsoleVocabulary.gapKinds), help: "unmet, overdue, coverage or outcomes")
                    ],
                    named: [
                        .optional(
                            "by", .list(.oneOf(GapDimension.names)),
                            help: "dimensions to group by: " + GapDimension.names.joined(separator: ", ")),
                        .optional("area", .text(maxLength: 16), help: "a country or ISO 3166-2 area"),
                        .optional("category", .choice(ConsoleVocabulary.categories), help: "one movement category"),
                        .optional(
                            "days", .integer(1...3650), default: .int(7),
                            help: "GAPS unmet: age at which a need counts as unmet"),
                    ],
                    summary: "unmet needs, overdue referrals, coverage and outcomes", handler: $0)
            },
        ]
        return specs.compactMap { $0 }
    }
}
