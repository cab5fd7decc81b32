import ArgumentParser
import Foundation
import Logging
import PassageStore

/// `passage migrate`: applies pending schema migrations, re-seals personal identifiers still in
/// pgp_sym_encrypt's format in the application (`LegacyIdentifierMigration`), and exits.
struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending schema migrations (Schema/NNNN_name.sql), re-seal old personal identifiers, and exit.")

    @OptionGroup var database: DatabaseOptions

    @Option(name: .customLong("pii-key-file"), help: "File holding the personal-data key (default: the data directory's; or PASSAGE_PII_KEY). Needed to re-seal identifiers stored before schema 12.")
    var piiKeyFile: String?

    func run() throws {
        let logger = Logger(label: "passage.migrate")
        let (opened, outcome) = try database.openMigrated(logger: logger)
        defer { opened.close(stopCluster: false) }
        if outcome.applied.isEmpty {
            print("schema is current at version \(outcome.latestVersion) (\(opened.location))")
        } else {
            print("applied \(outcome.applied.count) migration(s): \(outcome.applied.map(String.init).joined(separator: ", ")); now at version \(outcome.latestVersion) (\(opened.location))")
        }
        var embeddedDirectory: String?
        if case .embedded(let directory) = opened.location { embeddedDirectory = directory }
        let environmentKey = ProcessInfo.processInfo.environment[PIIKey.environmentVariable] ?? ""
        guard piiKeyFile != nil || !environmentKey.isEmpty || embeddedDirectory != nil else {
            print("personal identifiers not checked: no personal-data key (give --pii-key-file or PASSAGE_PII_KEY; `passage serve` re-seals them at start)")
            return
        }
        let key = try PIIKey.load(file: piiKeyFile, embeddedDirectory: embeddedDirectory)
        let resealed = try LegacyIdentifierMigration(key: key, logger: logger).run(conninfo: opened.conninfo)
        print(resealed == 0 ? "personal identifiers are sealed by the application"
                            : "re-sealed \(resealed) personal-identifier value(s) in the application (AES-256-GCM)")
    }
}
