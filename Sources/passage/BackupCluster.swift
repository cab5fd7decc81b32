import EmbeddedPostgres
import Foundation

/// The embedded cluster as pgBackRest sees it: stanza `passage`, the configuration file, and
/// the options that depend on the data directory (given on every command line, so the
/// configuration file holds only the repository). pgBackRest always runs as the cluster's
/// operating-system user, like PostgreSQL's `archive_command` does.
struct BackupCluster {
    static let stanza = "passage"

    let directory: String
    let cluster: EmbeddedCluster
    let configuration: BackupConfigurationFile

    init(directory: String, configuration: BackupConfigurationFile) throws {
        self.directory = BackupConfigurationFile.absolute(directory)
        self.cluster = EmbeddedCluster(directory: self.directory, installation: try PostgresInstallation.locate())
        self.configuration = configuration
    }

    /// pgBackRest's lock and log files: in the data directory, so the service (whose /tmp is
    /// private) and an operator's shell share the same locks.
    var workDirectory: String { directory + "/pgbackrest" }

    /// Options every command takes.
    var commonOptions: [String] {
        [
            "--config=\(configuration.path)", "--stanza=\(Self.stanza)", "--lock-path=\(workDirectory)",
            "--log-path=\(workDirectory)",
        ]
    }

    /// Options of the commands that talk to the running server (backup, check, stanza-create).
    var serverOptions: [String] {
        commonOptions + [
            "--pg1-path=\(cluster.dataDirectory)", "--pg1-socket-path=\(cluster.socketDirectory)", "--pg1-port=5432",
            "--pg1-user=\(cluster.superuser)",
        ]
    }

    /// The `archive_command` PostgreSQL runs for each finished WAL segment. No log file of its
    /// own: a failure goes to PostgreSQL's log, and the segment is retried until it is archived.
    var archiveCommand: String {
        (["pgbackrest"] + commonOptions + ["--pg1-path=\(cluster.dataDirectory)", "--log-level-file=off", "archive-push", "%p"])
            .joined(separator: " ")
    }

    /// Runs `pgbackrest <options> <command>` as the cluster's user; throws with its output on failure.
    @discardableResult
    func pgbackrest(_ command: String, _ options: [String]) throws -> String {
        let (status, output) = try ServerUserTool.run("pgbackrest", options + [command])
        guard status == 0 else {
            throw BackupError(
                "pgbackrest \(command) failed (exit status \(status)):\n\(output.trimmingCharacters(in: .whitespacesAndNewlines))"
                    + Self.advice(for: output))
        }
        return output
    }

    /// What the operator can do about the failures seen most.
    static func advice(for output: String) -> String {
        if output.contains("archive_mode must be enabled") || output.contains("archive_command") {
            return
                "\nWAL archiving is not on in the running cluster: restart the service once after `passage backup setup` (systemctl restart passage)."
        }
        if output.contains("unable to find") && output.contains("pgbackrest") || output.contains("No such file") {
            return "\nIs pgBackRest installed? apt-get install -y pgbackrest"
        }
        return ""
    }

    /// The repository's backups (pgbackrest info, JSON).
    func backups() throws -> [BackupSet] {
        let output = try pgbackrest("info", commonOptions + ["--output=json", "--log-level-console=off", "--log-level-stderr=off"])
        return try BackupSet.parse(info: output)
    }

    /// One SQL answer from the cluster as its superuser (psql, trusted text only).
    func query(_ sql: String) throws -> String {
        let (status, output) = try ServerUserTool.run(
            cluster.installation.tool("psql"),
            ["-h", cluster.socketDirectory, "-U", cluster.superuser, "-d", "postgres", "-qAtX", "-c", sql])
        guard status == 0 else { throw BackupError("psql failed: \(output)") }
        return output.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
