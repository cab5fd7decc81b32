import EmbeddedPostgres
import Foundation

/// WAL archiving for the embedded cluster: `data/passage.conf.d/backup.conf` (ServerSettings'
/// directory, read by PostgreSQL at start and reload). Written by `passage backup setup` and
/// kept: it lies inside the cluster, so a restored cluster goes on archiving to the same
/// repository. archive_mode takes effect at the next start of the cluster; archive_command at
/// a reload.
public enum BackupArchiveSettings {
    static let fileName = "backup.conf"

    /// Every finished WAL segment goes to the repository; `archive_timeout` finishes a segment
    /// at least once a minute while anything is written, so a sudden loss of the disk loses at
    /// most that minute of acknowledged work (a clean stop archives everything).
    static func settings(for backup: BackupCluster) -> [(String, String)] {
        [
            ("archive_mode", "on"),
            ("archive_command", ServerSettings.quoted(backup.archiveCommand)),
            ("archive_timeout", "60"),
        ]
    }

    public static func write(for backup: BackupCluster) throws {
        let serverSettings = backup.cluster.settings
        try serverSettings.prepare()
        var text = """
            # WAL archiving to Passage's backup repository (pgBackRest, stanza passage).
            # Written by `passage backup setup`; run it again rather than editing this file.

            """
        for (key, value) in settings(for: backup) { text += "\(key) = \(value)\n" }
        let path = serverSettings.directory + "/" + fileName
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        try BackupFiles.handToClusterUser(path)
    }

    public static func isWritten(for backup: BackupCluster) -> Bool {
        FileManager.default.fileExists(atPath: backup.cluster.settings.directory + "/" + fileName)
    }
}
