import ArgumentParser
import PassageCore

/// The `passage` command line: one small type per subcommand, each in its own file.
@main
struct Passage: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "passage",
        abstract: "Migration case management: cases, classification, referrals, anonymised statistics.",
        version: PassageVersion.current,
        subcommands: [
            Serve.self, Console.self, Migrate.self, Import.self, Export.self, PrivacyPolicyCommand.self, Demo.self,
            Classify.self, Reclassify.self, User.self, Provider.self,
            Docs.self,
        ]
    )
}
