import EmbeddedPostgres
import Logging

/// `passage upgrade-cluster` below the command line: the embedded cluster moved to the newest
/// PostgreSQL installed (EmbeddedPostgres' ClusterUpgrade, which checks everything first).
public struct PostgresUpgrade {
    private let upgrade: ClusterUpgrade

    /// Throws, saying why and what to do, when there is nothing to upgrade or it cannot be done.
    public init(dataDirectory: String, logger: Logger) throws {
        upgrade = try ClusterUpgrade(directory: dataDirectory, logger: logger)
    }

    public var oldVersion: String { upgrade.oldVersion }
    public var newVersion: String { upgrade.newVersion }

    /// The operating-system user the commands run as.
    public var user: String { ServerUserTool.user }

    /// The commands `run()` performs, one a line, for `--dry-run` and the log.
    public var commands: [String] {
        [
            ([upgrade.new.tool("initdb")] + upgrade.initdbArguments).joined(separator: " "),
            ([upgrade.new.tool("pg_upgrade")] + upgrade.pgUpgradeArguments).joined(separator: " "),
            "mv \(upgrade.dataDirectory) \(upgrade.keptOldDataDirectory)",
            "mv \(upgrade.newDataDirectory) \(upgrade.dataDirectory)",
        ]
    }

    /// What the operator does after a successful run.
    public var nextSteps: String {
        let socket = EmbeddedCluster(directory: upgrade.directory, installation: upgrade.new).socketDirectory
        return """
            Next: start Passage; then refresh the planner statistics (pg_upgrade does not carry them):
              runuser -u \(user) -- \(upgrade.new.tool("vacuumdb")) --all --analyze-in-stages -h \(socket) -U postgres
            With backups configured, upgrade the pgBackRest stanza to the new version (pgbackrest stanza-upgrade) and take a full backup.
            When all is well, remove \(upgrade.keptOldDataDirectory).
            """
    }

    public func run() throws { try upgrade.run() }
}
