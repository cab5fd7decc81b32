import ArgumentParser
import Foundation
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
            Classify.self, Reclassify.self, User.self, Provider.self, PIIKeyCommand.self, EraseExpired.self, Backup.self, Restore.self,
            UpgradeCluster.self, Docs.self,
        ]
    )

    /// Parses the command line with the configuration file and the `PASSAGE_*` variables
    /// inserted as options (CommandLineSettings), then runs the subcommand. A mistake in either
    /// is refused before anything starts, naming the file and line or the variable.
    static func main() async {
        let settings: CommandLineSettings
        do {
            settings = try CommandLineSettings.settle(
                Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment)
            try ServiceDataDirectory.check(settings)
        } catch {
            FileHandle.standardError.write(Data("Error: \(error)\n".utf8))
            Foundation.exit(ExitCode.validationFailure.rawValue)
        }
        var command: ParsableCommand
        do {
            command = try parseAsRoot(settings.arguments)
        } catch {
            // --help and --version end here too (a clean exit); only real mistakes are explained.
            let code = exitCode(for: error)
            guard code != .success, !settings.origins.isEmpty else { exit(withError: error) }
            FileHandle.standardError.write(Data("Error: \(settings.explained(message(for: error)))\n".utf8))
            Foundation.exit(code.rawValue)
        }
        do {
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }

    /// What `passage --version` prints: the product, the newest schema migration compiled in,
    /// and the classification rules, the three things an operator upgrading needs to know.
    static let version =
        "passage \(PassageVersion.current) (schema \(PassageDatabase.compiledSchemaVersion), classifier \(Classifier.version))"
}
