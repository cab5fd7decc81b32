import EmbeddedPostgres
import Foundation

/// The embedded cluster as pgBackRest sees it: stanza `passage`, the configuration file, and
/// the options that depend on the data directory (given on every command line, so the
/// configuration file holds only the repository). pgBackRest always runs as the cluster's
/// operating-system user, like PostgreSQL's `archive_command` does.
public struct BackupCluster {
    public static let stanza = "passage"

    public let directory: String
    let cluster: EmbeddedCluster
    public let configuration: BackupConfigurationFile

    public init(directory: String, configuration: BackupConfigurationFile) throws {
        self.directory = BackupConfigurationFile.absolute(directory)
        // The programs of the cluster's own major version (a restore into an empty directory:
        // the first server found, as for a new cluster).
        self.cluster = EmbeddedCluster(
            directory: self.directory, installation: try PostgresInstallation.locate(forClusterIn: self.directory))
        self.configuration = configuration
    }

    /// The cluster's own directory (PGDATA), inside the data directory.
    public var clusterDirectory: String { cluster.dataDirectory }
    /// Where PostgreSQL writes its log.
    public var logDirectory: String { cluster.logDirectory }
    public var isInitialised: Bool { cluster.isInitialised }
    public func isRunning() -> Bool { cluster.isRunning() }
    public func start() throws { try cluster.start() }
    public func stop() throws { try cluster.stop() }

    /// pgBackRest's lock and log files: in the data directory, so the service (whose /tmp is
    /// private) and an operator's shell share the same locks.
    public var workDirectory: String { directory + "/pgbackrest" }

    /// Options every command takes.
    public var commonOptions: [String] {
        [
            "--config=\(configuration.path)", "--stanza=\(Self.stanza)", "--lock-path=\(workDirectory)",
            "--log-path=\(workDirectory)",
        ]
    }

    /// Options of the commands that talk to the running server (backup, check, stanza-create).
    public var serverOptions: [String] {
        commonOptions + [
            "--pg1-path=\(cluster.dataDirectory)", "--pg1-socket-path=\(cluster.socketDirectory)", "--pg1-port=5432",
            "--pg1-user=\(cluster.superuser)",
        ]
    }

    /// pgBackRest's spool, which `restore` clears: in the data directory too, since Debian's
    /// /var/spool/pgbackrest belongs to `postgres`, not to the service's user. Given as a
    /// variable, not an option: archive-push and archive-get refuse it without archive-async,
    /// and `restore` copies its command-line options into the restore_command it writes.
    public var spoolEnvironment: [String: String] { ["PGBACKREST_SPOOL_PATH": workDirectory] }

    /// The `archive_command` PostgreSQL runs for each finished WAL segment. No log file of its
    /// own: a failure goes to PostgreSQL's log, and the segment is retried until it is archived.
    public var archiveCommand: String {
        (["pgbackrest"] + commonOptions + [
            "--pg1-path=\(cluster.dataDirectory)", "--log-level-file=off", "archive-push", "%p",
        ])
            .joined(separator: " ")
    }

    /// Runs `pgbackrest <options> <command>` as the cluster's user; throws with its output on failure.
    @discardableResult
    public func pgbackrest(_ command: String, _ options: [String], environment: [String: String] = [:]) throws -> String {
        // Its lock and log directory first, or every command warns that it has no log file.
        if FileManager.default.fileExists(atPath: directory) {
            try BackupFiles.prepareDirectory(workDirectory, what: "pgBackRest's lock and log directory")
        }
        // Everything on standard output: pgBackRest's standard error and standard output,
        // captured into one file, were seen to overwrite each other's first lines.
        var all = options + ["--log-level-stderr=off"]
        if !options.contains(where: { $0.hasPrefix("--log-level-console=") }) { all.append("--log-level-console=warn") }
        let (status, output) = try ServerUserTool.run("pgbackrest", all + [command], environment: environment)
        guard status == 0 else {
            throw BackupError(
                "pgbackrest \(command) failed (exit status \(status)):\n\(output.trimmingCharacters(in: .whitespacesAndNewlines))"
                    + Self.advice(for: output, status: status))
        }
        return output
    }

    /// What the operator can do about the failures seen most.
    static func advice(for output: String, status: Int32) -> String {
        if output.contains("archive_mode must be enabled") {
            return
                "\nWAL archiving is not on in the running cluster: restart the service once after `passage backup setup` (systemctl restart passage)."
        }
        if output.contains("was not archived before") {
            return "\nWAL archiving fails: PostgreSQL's log (the data directory's log/) says why."
        }
        // 127: the shell or runuser found no such program.
        if status == 127 || output.contains("failed to execute pgbackrest") {
            return "\nIs pgBackRest installed? apt-get install -y pgbackrest"
        }
        return ""
    }

    /// The repository's backups (pgbackrest info, JSON).
    public func backups() throws -> [BackupSet] {
        let output = try pgbackrest("info", commonOptions + ["--output=json", "--log-level-console=error"])
        return try BackupSet.parse(info: output)
    }

    /// One SQL answer from the cluster as its superuser (psql, trusted text only).
    public func query(_ sql: String) throws -> String {
        let (status, output) = try ServerUserTool.run(
            cluster.installation.tool("psql"),
            ["-h", cluster.socketDirectory, "-U", cluster.superuser, "-d", "postgres", "-qAtX", "-c", sql])
        guard status == 0 else { throw BackupError("psql failed: \(output)") }
        return output.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
