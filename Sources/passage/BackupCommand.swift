import ArgumentParser
import Foundation
import PassageServices

/// `passage backup [--full | --incremental]`: backups of the embedded cluster with pgBackRest
/// into an encrypted repository (Docs/operations.md "Backup and restore"). `passage backup
/// setup` once, then `passage backup` (a systemd timer in the package), `passage backup list`,
/// and `passage restore`.
struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Back up the embedded cluster with pgBackRest: full when asked or when the newest full backup is older than --full-every days, incremental otherwise.",
        subcommands: [BackupSetup.self, BackupList.self])

    @OptionGroup var options: BackupOptions

    @Flag(name: .customLong("full"), help: "A full backup.")
    var full = false

    @Flag(name: .customLong("incremental"), help: "Only what changed since the previous backup (full when there is none).")
    var incremental = false

    @Option(name: .customLong("full-every"), help: "Days between full backups when neither flag is given.")
    var fullEvery = 7

    @Flag(
        name: .customLong("key-kept-elsewhere"),
        help: "The personal-data key lies in the data directory and a copy of it is kept elsewhere: go ahead.")
    var keyKeptElsewhere = false

    func validate() throws {
        if full && incremental { throw ValidationError("--full and --incremental exclude each other") }
        if fullEvery < 1 || fullEvery > 366 { throw ValidationError("--full-every must be between 1 and 366 days") }
    }

    func run() throws {
        let configuration = try options.configuration()
        let backup = try BackupCluster(directory: options.directory, configuration: configuration)
        guard backup.isInitialised else {
            throw BackupError("no cluster in \(backup.directory): nothing to back up")
        }
        guard BackupArchiveSettings.isWritten(for: backup) else {
            throw BackupError(
                "WAL archiving is not set up for \(backup.directory): run `passage backup setup` first")
        }
        // The key check comes first: a backup whose key is lost is no backup.
        guard let key = try options.keyAtHand() else {
            throw BackupError(
                "no personal-data key found (pii-key-file, PASSAGE_PII_KEY or \(backup.directory)/pii.key): a backup is only as good as the key that opens its names; give --pii-key-file"
            )
        }
        if let warning = try key.checkForBackup(
            dataDirectory: backup.directory, clusterDirectory: backup.clusterDirectory,
            keptElsewhere: keyKeptElsewhere)
        {
            FileHandle.standardError.write(Data((warning + "\n").utf8))
        }

        let wasRunning = backup.isRunning()
        if !wasRunning { try backup.start() }
        defer { if !wasRunning { try? backup.stop() } }

        let existing = try backup.backups()
        let type = chooseType(existing: existing)
        print("backing up \(backup.directory) to \(configuration.repository) (\(type == "full" ? "full" : "incremental"))…")
        let started = Date()
        try backup.pgbackrest(
            "backup",
            backup.serverOptions + [
                "--type=\(type)", "--annotation=\(PersonalDataKeyAtHand.annotationKey)=\(key.fingerprint)",
                "--annotation=passage-version=\(Passage.version.replacingOccurrences(of: " ", with: "_"))",
                "--log-level-console=warn",
            ])
        let seconds = Date().timeIntervalSince(started)
        guard let made = try backup.backups().last else { throw BackupError("pgbackrest made no backup") }
        print(
            "backup \(made.label) (\(made.type)) in \(String(format: "%.1f", seconds)) s: database \(BackupSet.sizeText(made.info.size)), stored \(BackupSet.sizeText(made.info.repository.delta)) (compressed, encrypted)"
        )
        print(
            "personal-data key \(key.origin), fingerprint \(key.shortFingerprint)… recorded with the backup: keep that key apart from the data directory and from the repository"
        )
    }

    /// pgBackRest's own names: full or incr.
    func chooseType(existing: [BackupSet]) -> String {
        if full { return "full" }
        if incremental { return "incr" }
        guard let newestFull = existing.last(where: { $0.type == "full" }) else { return "full" }
        let age = Date().timeIntervalSince(newestFull.stopped)
        return age >= Double(fullEvery) * 86_400 ? "full" : "incr"
    }
}

/// `passage backup list`: the repository's backups and the span a restore can reach.
struct BackupList: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the backups in the repository and the personal-data key each needs.")

    @OptionGroup var options: BackupOptions

    func run() throws {
        let configuration = try options.configuration()
        let backup = try BackupCluster(directory: options.directory, configuration: configuration)
        let sets = try backup.backups()
        guard !sets.isEmpty else {
            print("no backups in \(configuration.repository) yet: passage backup --full")
            return
        }
        let key = try? options.keyAtHand()
        print("repository \(configuration.repository), stanza \(BackupCluster.stanza)")
        print("label                               type  started                 finished                database    stored      key")
        for set in sets {
            let keyText: String
            if let recorded = set.keyFingerprint {
                keyText = String(recorded.prefix(16)) + (key?.fingerprint == recorded ? " (the key at hand)" : "")
            } else {
                keyText = "(not recorded)"
            }
            print(
                [
                    set.label.padding(toLength: 35, withPad: " ", startingAt: 0),
                    set.type.padding(toLength: 5, withPad: " ", startingAt: 0),
                    BackupSet.timeText(set.started).padding(toLength: 23, withPad: " ", startingAt: 0),
                    BackupSet.timeText(set.stopped).padding(toLength: 23, withPad: " ", startingAt: 0),
                    BackupSet.sizeText(set.info.size).padding(toLength: 11, withPad: " ", startingAt: 0),
                    BackupSet.sizeText(set.info.repository.delta).padding(toLength: 11, withPad: " ", startingAt: 0),
                    keyText,
                ].joined(separator: " "))
        }
        if let first = sets.first {
            print(
                "a restore can reach any time from \(BackupSet.timeText(first.stopped)) to the newest archived WAL (passage restore --to 'YYYY-MM-DD HH:MM:SS+00')"
            )
        }
    }
}
