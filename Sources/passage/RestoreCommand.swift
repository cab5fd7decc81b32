import ArgumentParser
import Foundation
import PassageServices

/// `passage restore [--latest | --to TIME]`: the embedded cluster back from the repository,
/// with the WAL archived since, to its newest state or to a moment. The service must be
/// stopped. The personal-data key at hand must be the one the backup recorded.
struct Restore: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Restore the embedded cluster from the backup repository: to the newest state, or to a point in time.")

    @OptionGroup var options: BackupOptions

    @Flag(name: .customLong("latest"), help: "Everything the repository holds: the newest backup and all WAL after it (the default).")
    var latest = false

    @Option(
        name: .customLong("to"),
        help: "A point in time with its zone ('2026-12-05 17:03:04+00'): what was committed then, nothing after.")
    var to: String?

    @Option(name: .customLong("set"), help: "Restore from this backup (a label from `passage backup list`).")
    var set: String?

    @Flag(
        name: .customLong("delta"),
        help: "The data directory still holds a cluster: restore over it in place (its files are replaced).")
    var delta = false

    @Flag(
        name: .customLong("without-matching-key"),
        help: "Restore although the personal-data key at hand is not the one the backup recorded (names stay sealed).")
    var withoutMatchingKey = false

    func validate() throws {
        if latest && to != nil { throw ValidationError("--latest and --to exclude each other") }
        if let to { _ = try RestoreTarget(parsing: to) }
        if let set, set.isEmpty || !set.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) {
            throw ValidationError("--set \(set): a backup label is letters, digits, - and _ (see passage backup list)")
        }
    }

    func run() throws {
        let target = try to.map(RestoreTarget.init(parsing:))
        let configuration = try options.configuration()
        let backup = try BackupCluster(directory: options.directory, configuration: configuration)
        if backup.isRunning() {
            throw BackupError(
                "the cluster in \(backup.directory) is running: stop the service first (systemctl stop passage, or stop `passage serve`)")
        }
        let dataPresent = ((try? FileManager.default.contentsOfDirectory(atPath: backup.clusterDirectory)) ?? []).isEmpty == false
        if dataPresent && !delta {
            throw BackupError(
                "\(backup.clusterDirectory) still holds a cluster: give --delta to restore over it in place, or move it aside first")
        }

        let sets = try backup.backups()
        let chosen = try choose(from: sets, target: target)
        try checkKey(chosen, directory: backup.directory)

        try BackupFiles.prepareDirectory(backup.directory, what: "the data directory")
        let anchors = backup.directory + "/audit-anchors"
        if FileManager.default.fileExists(atPath: anchors) {
            // Anchors newer than the restored chain would make AUDIT VERIFY report a rewrite;
            // kept beside it as the record of what was before (Docs/operations.md "Audit anchors").
            let aside = anchors + ".before-restore-" + String(Int(Date().timeIntervalSince1970))
            try FileManager.default.moveItem(atPath: anchors, toPath: aside)
            print("moved the audit anchors aside to \(aside): the restored chain starts a new anchors file")
        }

        print(
            "restoring \(chosen.label) (\(chosen.type), finished \(BackupSet.timeText(chosen.stopped)))"
                + (target.map { " to \($0.postgresText)" } ?? " and all WAL after it") + " into \(backup.clusterDirectory)…")
        let started = Date()
        var restoreOptions = backup.commonOptions + [
            "--pg1-path=\(backup.clusterDirectory)", "--set=\(chosen.label)", "--log-level-console=warn",
        ]
        if let target {
            restoreOptions += ["--type=time", "--target=\(target.postgresText)", "--target-action=promote"]
        }
        if delta { restoreOptions.append("--delta") }
        try backup.pgbackrest("restore", restoreOptions, environment: backup.spoolEnvironment)
        let copied = Date()

        // Recovery: PostgreSQL replays the archived WAL, stops at the target (or at the end) and
        // promotes; the cluster is then read-write on a new timeline and archives again.
        do {
            try backup.start()
        } catch {
            guard backup.isRunning() else {
                throw BackupError("the restored cluster did not start: \(error) (see \(backup.logDirectory))")
            }
        }
        defer { try? backup.stop() }
        var recovering = true
        for _ in 0..<(4 * 3600) {
            guard backup.isRunning() else {
                throw BackupError(
                    "PostgreSQL stopped during recovery (a target after the newest archived WAL ends it so): see the log in \(backup.logDirectory)")
            }
            if let answer = try? backup.query("SELECT pg_is_in_recovery()"), answer == "f" {
                recovering = false
                break
            }
            usleep(250_000)
        }
        guard !recovering else { throw BackupError("recovery did not end within an hour: see \(backup.logDirectory)") }
        // The commit time of the last transaction replayed: where the restore reached.
        let reached = try backup.query("SELECT coalesce(pg_last_xact_replay_timestamp()::text, 'the backup''s end')")
        let finished = Date()
        print(
            String(
                format: "restored in %.1f s (files %.1f s, WAL replay %.1f s); the last transaction replayed committed at %@; the cluster goes on on a new timeline",
                finished.timeIntervalSince(started), copied.timeIntervalSince(started), finished.timeIntervalSince(copied),
                reached))
        print("start the service (systemctl start passage); run AUDIT VERIFY once signed in")
    }

    /// The backup to restore: `--set`, else the newest, else (for a time) the newest one that
    /// finished before it: a restore cannot reach a moment before its backup's end.
    func choose(from sets: [BackupSet], target: RestoreTarget?) throws -> BackupSet {
        guard !sets.isEmpty else { throw BackupError("the repository holds no backup of this stanza: nothing to restore") }
        if let set {
            guard let named = sets.first(where: { $0.label == set }) else {
                throw BackupError("no backup \(set) in the repository; passage backup list names them")
            }
            if let target, named.stopped.timeIntervalSince1970 >= target.date.timeIntervalSince1970 {
                throw BackupError("backup \(set) finished at \(BackupSet.timeText(named.stopped)), after --to: choose an earlier one")
            }
            return named
        }
        guard let target else { return sets.last! }
        guard let before = sets.last(where: { $0.stopped.timeIntervalSince1970 < target.date.timeIntervalSince1970 }) else {
            throw BackupError(
                "no backup finished before \(target.postgresText): the earliest finished at \(BackupSet.timeText(sets[0].stopped))")
        }
        return before
    }

    /// The key at hand must be the one the backup recorded, or the restored names stay sealed.
    func checkKey(_ chosen: BackupSet, directory: String) throws {
        guard let recorded = chosen.keyFingerprint else {
            print("note: backup \(chosen.label) records no personal-data key (not taken by passage backup): cannot check the key")
            return
        }
        let key = try options.keyAtHand()
        if let key, key.fingerprint == recorded {
            print("personal-data key \(key.origin) matches the backup (fingerprint \(key.shortFingerprint)…)")
            return
        }
        let problem =
            key.map { "the personal-data key at hand (\($0.origin)) has the fingerprint \($0.shortFingerprint)…" }
            ?? "there is no personal-data key at hand (pii-key-file, PASSAGE_PII_KEY or \(directory)/pii.key)"
        let message =
            "\(problem), but backup \(chosen.label) was taken with the key whose SHA-256 is \(recorded): put that key back (e.g. /etc/passage/pii.key from where it is kept) and give it with --pii-key-file; `tr -d '[:space:]' < FILE | sha256sum` shows a file's fingerprint"
        guard withoutMatchingKey else { throw BackupError(message + ". --without-matching-key restores anyway.") }
        FileHandle.standardError.write(Data(("WARNING: " + message + "\n").utf8))
    }
}
