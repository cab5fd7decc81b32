import ArgumentParser
import Foundation
import PassageServices

/// `passage backup setup`: once per data directory. Writes the backup configuration (unless it
/// exists: the package makes `/etc/passage/backup.conf` with its own passphrase), makes the
/// repository, turns on WAL archiving in the cluster, creates pgBackRest's stanza and checks
/// that a WAL segment reaches the repository.
struct BackupSetup: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "setup",
        abstract: "Set up backups once: configuration, encrypted repository, WAL archiving, pgBackRest stanza.")

    @OptionGroup var options: BackupOptions

    @Option(
        name: .customLong("backup-repo"),
        help:
            "Directory of the repository, outside the data directory, best on another disk (only when the configuration is made; default /var/lib/passage-backup with /etc/passage/backup.conf)."
    )
    var backupRepo: String?

    func validate() throws {
        if let backupRepo, backupRepo.isEmpty { throw ValidationError("--backup-repo must not be empty") }
    }

    func run() throws {
        let directory = options.directory
        try BackupFiles.checkPlain(directory, what: "the data directory")
        guard
            let path = BackupConfigurationFile.choosePath(given: options.backupConfig, environment: options.environment)
        else {
            throw BackupError(
                "give --backup-config FILE: where to write the backup configuration (it holds the repository's passphrase; outside the data directory, e.g. /etc/passage/backup.conf)"
            )
        }
        try BackupFiles.checkPlain(path, what: "the backup configuration")
        guard !BackupFiles.isInside(path, directory) else {
            throw BackupError(
                "the backup configuration \(path) lies in the data directory \(directory): it holds the passphrase every restore needs, and would be lost with the directory. Choose a file elsewhere (e.g. /etc/passage/backup.conf)."
            )
        }
        let configuration: BackupConfigurationFile
        if FileManager.default.fileExists(atPath: path) {
            configuration = try BackupConfigurationFile.read(path)
            if let backupRepo, BackupConfigurationFile.absolute(backupRepo) != configuration.repository {
                throw BackupError(
                    "\(path) already names the repository \(configuration.repository), not \(backupRepo): edit its repo1-path, or choose another --backup-config")
            }
            print("using the backup configuration \(path) (repository \(configuration.repository))")
        } else {
            guard
                let repository = backupRepo.map(BackupConfigurationFile.absolute)
                    ?? (path == BackupConfigurationFile.packagePath ? BackupConfigurationFile.packageRepository : nil)
            else {
                throw BackupError("give --backup-repo DIR: where the backups go (outside the data directory, best on another disk)")
            }
            try BackupFiles.checkPlain(repository, what: "the repository")
            guard !BackupFiles.isInside(repository, directory), !BackupFiles.isInside(directory, repository) else {
                throw BackupError(
                    "the repository \(repository) and the data directory \(directory) must not contain each other: a backup inside the data directory is lost with it")
            }
            configuration = try BackupConfigurationFile.create(at: path, repository: repository)
            print("wrote the backup configuration \(path) with a new passphrase (repository \(repository))")
        }
        guard !BackupFiles.isInside(configuration.repository, directory) else {
            throw BackupError(
                "the repository \(configuration.repository) lies in the data directory \(directory): a backup there is lost with it; choose another repo1-path in \(path)")
        }
        try BackupFiles.prepareDirectory(configuration.repository, what: "the repository")

        let backup = try BackupCluster(directory: directory, configuration: configuration)
        if let key = try options.keyAtHand() {
            switch key.placement(dataDirectory: backup.directory, clusterDirectory: backup.clusterDirectory) {
            case .apart: print("personal-data key \(key.origin) (fingerprint \(key.shortFingerprint)…) lies apart from the data: good")
            case .inDataDirectory, .inCluster:
                FileHandle.standardError.write(
                    Data(
                        "WARNING: the personal-data key \(key.origin) lies in the data directory; `passage backup` refuses until it is moved out or --key-kept-elsewhere says a copy is kept\n"
                            .utf8))
            }
        }

        let wasRunning = backup.isRunning()
        if !wasRunning { try backup.start() }
        defer { if !wasRunning { try? backup.stop() } }
        try BackupArchiveSettings.write(for: backup)
        var archiving: Bool
        if wasRunning {
            _ = try backup.query("SELECT pg_reload_conf()")
            archiving = try backup.query("SHOW archive_mode") == "on"
        } else {
            try backup.stop()
            try backup.start()
            archiving = true
        }
        try backup.pgbackrest("stanza-create", backup.serverOptions + ["--log-level-console=warn"])
        if archiving {
            // `check` takes no lock, and pgBackRest refuses options a command does not take.
            try backup.pgbackrest(
                "check", backup.serverOptions.filter { !$0.hasPrefix("--lock-path=") } + ["--log-level-console=warn"])
            print("WAL archiving works: a segment reached the repository")
        } else {
            print(
                "WAL archiving starts at the next start of the cluster: restart the service once (systemctl restart passage); `passage backup` checks it"
            )
        }
        print(
            """
            backups set up for \(backup.directory): stanza \(BackupCluster.stanza), repository \(configuration.repository), encrypted (aes-256-cbc)
            keep copies of \(path) (the passphrase) and of the personal-data key apart from this machine: a restore needs both
            next: passage backup --full
            """)
    }
}
