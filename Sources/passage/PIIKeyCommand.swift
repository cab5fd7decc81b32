import ArgumentParser
import Foundation
import Logging
import PassageServices

/// `passage pii-key`: the personal-data key's life (Docs/operations.md "Rotating the
/// personal-data key"): `generate` a new one, `rotate` the stored identifiers onto it.
struct PIIKeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pii-key",
        abstract: "Generate a personal-data key, or re-seal the stored identifiers under a new one.",
        subcommands: [Generate.self, Rotate.self, Convert.self])

    /// `passage pii-key generate FILE`: 64 random hex digits in a new file, mode 0600.
    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a new personal-data key (64 hex digits) to a new file with mode 0600; never overwrites.")

        @Argument(help: "The key file to create.") var file: String

        func run() throws {
            do {
                try PassageDatabase.generatePersonalDataKey(at: file)
            } catch {
                throw UserCommandFailure(error: error)
            }
            print("wrote a new personal-data key to \(file) (mode 0600); back it up apart from the data's backups")
        }
    }

    /// `passage pii-key rotate`: re-seals, in batches, while the server runs with both keys.
    struct Rotate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-seal every stored personal identifier still under the previous key with the current one.",
            discussion: """
                Run while the server runs with the new key as pii-key-file and the old one as \
                pii-previous-key-file (both also read from passage.conf and PASSAGE_*). Safe to \
                interrupt and run again. It then rebuilds the search index (blind keys) under the new \
                key, in batches; the servers find persons under either key meanwhile. \
                When it reports that no value remains under the previous key, \
                remove pii-previous-key-file from the configuration and restart; keep the old key as \
                long as backups taken before the rotation are kept (they hold values sealed under it).
                """)

        @Option(
            name: .customLong("pii-key-file"),
            help: "File holding the new (current) personal-data key (default: the data directory's; or PASSAGE_PII_KEY).")
        var piiKeyFile: String?
        @Option(
            name: .customLong("pii-previous-key-file"),
            help: "File holding the personal-data key being replaced.")
        var piiPreviousKeyFile: String?
        @Option(
            help:
                "Rows read per batch; each batch's re-sealed rows are one transaction (\(PassageDatabase.keyRotationBatchSizes.lowerBound)–\(PassageDatabase.keyRotationBatchSizes.upperBound))."
        )
        var batch = 500
        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            guard PassageDatabase.keyRotationBatchSizes.contains(batch) else {
                throw ValidationError(
                    "--batch must be \(PassageDatabase.keyRotationBatchSizes.lowerBound) to \(PassageDatabase.keyRotationBatchSizes.upperBound), got \(batch)"
                )
            }
            guard piiPreviousKeyFile != nil else {
                throw ValidationError(
                    "--pii-previous-key-file is needed: the file of the key being replaced (or pii-previous-key-file in passage.conf)"
                )
            }
        }

        func run() throws {
            let logger = Logger(label: "passage.pii-key")
            let clock = ContinuousClock()
            let opened = try PassageDatabase.open(database.choice, logger: logger)
            defer { opened.close() }
            let started = clock.now
            var lastReport = started
            let report: PersonalDataKeyRotationReport
            do {
                report = try opened.rotatePersonalDataKey(
                    keyFile: piiKeyFile, previousKeyFile: piiPreviousKeyFile ?? "", batchSize: batch,
                    operatorName: OperatorIdentity.current()
                ) { progress in
                    guard clock.now - lastReport >= .seconds(2) else { return }
                    lastReport = clock.now
                    print(
                        "  \(progress.table): \(progress.examined) of \(progress.rows) rows read, \(progress.resealed) re-sealed"
                    )
                }
            } catch {
                throw UserCommandFailure(error: error)
            }
            let took = clock.now - started
            let seconds = Double(took.components.seconds) + Double(took.components.attoseconds) / 1e18
            let counts = report.resealed.map { "\($0.count) in \($0.table)" }.joined(separator: ", ")
            print(
                "re-sealed \(report.total) value(s) (\(counts)) in \(String(format: "%.1f", seconds)) s; "
                    + "\(report.alreadyCurrent) already under the current key; \(report.passes) pass(es)")
            if let rewrapped = report.rewrapped {
                print("re-wrapped \(rewrapped) keyring entries (persons' own keys) under the current key")
            }
            print("rebuilt the search index (blind keys) of \(report.personsReindexed) person(s) under the current key")
            print(
                "no value remains under the previous key: remove pii-previous-key-file from the configuration and restart; keep the old key while backups that need it are kept"
            )
        }
    }

    /// `passage pii-key convert`: persons sealed under the personal-data key itself get keys of their own.
    struct Convert: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give every person still sealed under the personal-data key itself a key of their own in the keyring.",
            discussion: """
                Persons recorded before the keyring (format pd1) can only be erased by crypto-shredding once \
                they have a key of their own (pd2). Safe while the server runs, safe to interrupt and run again.
                """)

        @Option(
            name: .customLong("pii-key-file"),
            help: "File holding the personal-data key (default: the data directory's; or PASSAGE_PII_KEY).")
        var piiKeyFile: String?
        @Option(
            name: .customLong("pii-previous-key-file"),
            help: "During a rotation: the key being replaced.")
        var piiPreviousKeyFile: String?
        @Option(help: "Persons per transaction (1–10000).")
        var batch = 500
        @OptionGroup var database: DatabaseOptions

        func validate() throws {
            guard PassageDatabase.keyRotationBatchSizes.contains(batch) else {
                throw ValidationError("--batch must be 1 to 10000, got \(batch)")
            }
        }

        func run() throws {
            let logger = Logger(label: "passage.pii-key")
            let opened = try PassageDatabase.open(database.choice, logger: logger)
            defer { opened.close() }
            do {
                let report = try opened.convertToPersonKeys(
                    keyFile: piiKeyFile, previousKeyFile: piiPreviousKeyFile, batchSize: batch,
                    operatorName: OperatorIdentity.current())
                print(
                    "gave \(report.persons) person(s) a key of their own (\(report.referralContacts) referral contact copies re-sealed with them)"
                )
            } catch {
                throw UserCommandFailure(error: error)
            }
        }
    }
}
