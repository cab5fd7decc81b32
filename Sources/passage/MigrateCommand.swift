import ArgumentParser
import Foundation
import Logging
import PassageServices

/// `passage migrate`: applies pending schema migrations, re-seals personal identifiers still in
/// pgp_sym_encrypt's format in the application (`PassageDatabase.resealLegacyIdentifiers`), and exits.
struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply pending schema migrations (Schema/NNNN_name.sql), re-seal old personal identifiers, and exit.")

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var log: LogOptions

    @Option(
        name: .customLong("pii-key-file"),
        help:
            "File holding the personal-data key (default: the data directory's; or PASSAGE_PII_KEY). Needed to re-seal identifiers stored before schema 12."
    )
    var piiKeyFile: String?

    func run() throws {
        try log.bootstrapLogging()
        let logger = Logger(label: "passage.migrate")
        let opened = try PassageDatabase.open(database.choice, use: .migrate, logger: logger)
        defer { opened.close() }
        if opened.appliedMigrations.isEmpty {
            print("schema is current at version \(opened.schemaVersion) (\(opened.location))")
        } else {
            print(
                "applied \(opened.appliedMigrations.count) migration(s): \(opened.appliedMigrations.map(String.init).joined(separator: ", ")); now at version \(opened.schemaVersion) (\(opened.location))"
            )
        }
        guard let resealed = try opened.resealLegacyIdentifiers(keyFile: piiKeyFile, logger: logger) else {
            print(
                "personal identifiers not checked: no personal-data key (give --pii-key-file or PASSAGE_PII_KEY; `passage serve` re-seals them at start)"
            )
            return
        }
        print(
            resealed == 0
                ? "personal identifiers are sealed by the application"
                : "re-sealed \(resealed) personal-identifier value(s) in the application (AES-256-GCM)")
    }
}
