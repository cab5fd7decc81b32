import ArgumentParser
import Foundation
import PassageServices

/// The options `passage backup …` and `passage restore` share: the data directory (from
/// passage.conf like the other commands), the backup configuration, the personal-data key.
struct BackupOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "Directory of the embedded PostgreSQL cluster (default ./.passage).")
    var dataDirectory: String?

    @Option(
        name: .customLong("database-url"),
        help: "Refused: backups of an external PostgreSQL are set up with pgBackRest directly (Docs/operations.md).")
    var databaseURL: String?

    @Option(
        name: .customLong("backup-config"),
        help:
            "The pgBackRest configuration naming the repository and holding its passphrase, outside the data directory (default: PASSAGE_BACKUP_CONFIG, else /etc/passage/backup.conf)."
    )
    var backupConfig: String?

    @Option(
        name: .customLong("pii-key-file"),
        help: "The personal-data key file the server uses (default: PASSAGE_PII_KEY, else the data directory's pii.key).")
    var piiKeyFile: String?

    func validate() throws {
        if databaseURL != nil || (dataDirectory == nil && !(environment["PASSAGE_DATABASE_URL"] ?? "").isEmpty) {
            throw ValidationError(
                "passage backup and restore work on the embedded cluster; for an existing PostgreSQL (--database-url) set up pgBackRest on its server (Docs/operations.md \"Backup and restore\")"
            )
        }
        if let dataDirectory, dataDirectory.isEmpty { throw ValidationError("--data-dir must not be empty") }
        if let backupConfig, backupConfig.isEmpty { throw ValidationError("--backup-config must not be empty") }
        if let piiKeyFile, piiKeyFile.isEmpty { throw ValidationError("--pii-key-file must not be empty") }
    }

    var environment: [String: String] { ProcessInfo.processInfo.environment }

    var directory: String { BackupConfigurationFile.absolute(dataDirectory ?? "./.passage") }

    /// The existing configuration, or an error saying how to make one.
    func configuration() throws -> BackupConfigurationFile {
        guard let path = BackupConfigurationFile.choosePath(given: backupConfig, environment: environment) else {
            throw BackupError(
                "no backup configuration: run `passage backup setup --backup-config FILE --backup-repo DIR` once (both outside the data directory), then give --backup-config FILE (or PASSAGE_BACKUP_CONFIG)"
            )
        }
        guard FileManager.default.fileExists(atPath: path) else {
            throw BackupError(
                "the backup configuration \(path) does not exist: run `passage backup setup --backup-config \(path) --backup-repo DIR` first (or copy it back from where it is kept)"
            )
        }
        return try BackupConfigurationFile.read(path)
    }

    func keyAtHand() throws -> PersonalDataKeyAtHand? {
        try PersonalDataKeyAtHand.locate(file: piiKeyFile, environment: environment, dataDirectory: directory)
    }
}
