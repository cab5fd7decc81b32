import PassageCore
import PassageServices

/// The one declaration of every console command (contract: shared/spec/console.md). Each
/// declaration's action calls the application services the table is built over; the console's
/// own commands are built in.
public enum ConsoleCommands {
    public static func table(_ services: ApplicationServices) -> CommandTable {
        // HELP shows the table it belongs to; the table's readable part does not depend on the
        // services, so it is read from a first declaration pass and handed to the real HELP.
        let catalog = HelpCatalog(declarations(help: BuiltinCommands.help { HelpCatalog([]) }))
        return CommandTable(declarations(help: BuiltinCommands.help { catalog }), services: services)
    }

    /// The readable table, without any services: what Docs are generated from
    /// (`roleMatrixMarkdown()`, `referenceMarkdown()`).
    public static func documentation() -> HelpCatalog {
        HelpCatalog(declarations(help: BuiltinCommands.help { HelpCatalog([]) }))
    }

    static func declarations(help: CommandSpec) -> [CommandSpec] {
        [
            BuiltinCommands.ping(), SignInCommands.auth, BuiltinCommands.quit(), help,
            BuiltinCommands.format(), BuiltinCommands.whoami(), HealthCommands.health,
        ]
            + CaseCommands.declarations + PersonCommands.declarations + ErasureCommands.declarations
            + NeedCommands.declarations
            + ProviderCommands.declarations + ReferralCommands.declarations
            + [StatsCommands.stats, GapsCommands.gaps, ReportCommands.report] + AuditCommands.declarations + UserCommands.declarations
            + NoticeCommands.declarations + TransferCommands.declarations + DuplicateCommands.declarations
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
