import ArgumentParser
import PassageCore
import PassageServices

/// The `passage` command line: one small type per subcommand, each in its own file.
@main
struct Passage: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "passage",
        abstract: "Migration case management: cases, classification, referrals, anonymised statistics.",
        version: Passage.version,
        subcommands: [
            Serve.self, Console.self, Migrate.self, Import.self, Export.self, PrivacyPolicyCommand.self, Demo.self,
            Classify.self, Reclassify.self, User.self, Provider.self,
            Docs.self,
        ]
    )

    /// What `passage --version` prints: the product, the newest schema migration compiled in,
    /// and the classification rules, the three things an operator upgrading needs to know.
    static let version =
        "passage \(PassageVersion.current) (schema \(PassageDatabase.compiledSchemaVersion), classifier \(Classifier.version))"
}
