import ArgumentParser
import EmbeddedPostgres
import Foundation
import Logging

/// `passage upgrade-cluster`: the embedded cluster to the newest PostgreSQL installed, with
/// pg_upgrade (ClusterUpgrade), while Passage is stopped. Docs/operations.md "Upgrading PostgreSQL".
struct UpgradeCluster: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upgrade-cluster",
        abstract:
            "Move the embedded PostgreSQL cluster to the newest major version installed with pg_upgrade (Passage stopped; both versions installed)."
    )

    @Option(name: .customLong("data-dir"), help: "Directory of the embedded PostgreSQL cluster (default ./.passage).")
    var dataDirectory: String?

    @Flag(name: .customLong("dry-run"), help: "Check and print the commands without running them.")
    var dryRun = false

    func validate() throws {
        if let dataDirectory, dataDirectory.isEmpty { throw ValidationError("--data-dir must not be empty") }
    }

    func run() throws {
        var logger = Logger(label: "passage.upgrade-cluster")
        logger.logLevel = .notice
        let upgrade: ClusterUpgrade
        do {
            upgrade = try ClusterUpgrade(directory: dataDirectory ?? "./.passage", logger: logger)
        } catch {
            throw UpgradeClusterFailure(message: "\(error)")
        }
        let user = ServerUserTool.user
        print("PostgreSQL \(upgrade.oldVersion) → \(upgrade.newVersion), as \(user):")
        print("  \(upgrade.new.tool("initdb")) \(upgrade.initdbArguments.joined(separator: " "))")
        print("  \(upgrade.new.tool("pg_upgrade")) \(upgrade.pgUpgradeArguments.joined(separator: " "))")
        print("  mv \(upgrade.dataDirectory) \(upgrade.keptOldDataDirectory)")
        print("  mv \(upgrade.newDataDirectory) \(upgrade.dataDirectory)")
        guard !dryRun else { return }
        do {
            try upgrade.run()
        } catch {
            throw UpgradeClusterFailure(message: "\(error)")
        }
        print(
            """
            Upgraded. Next: start Passage; then refresh the planner statistics (pg_upgrade does not carry them):
              runuser -u \(user) -- \(upgrade.new.tool("vacuumdb")) --all --analyze-in-stages -h \(EmbeddedCluster(directory: upgrade.directory, installation: upgrade.new).socketDirectory) -U postgres
            With backups configured, upgrade the pgBackRest stanza to the new version (pgbackrest stanza-upgrade) and take a full backup.
            When all is well, remove \(upgrade.keptOldDataDirectory).
            """)
    }
}

/// An upgrade that did not run: the message says why and what to do; exit status 1.
struct UpgradeClusterFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
