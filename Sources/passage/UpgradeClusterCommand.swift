import ArgumentParser
import Foundation
import Logging
import PassageServices

/// `passage upgrade-cluster`: the embedded cluster to the newest PostgreSQL installed, with
/// pg_upgrade (PostgresUpgrade), while Passage is stopped. Docs/operations.md "Upgrading PostgreSQL".
struct UpgradeCluster: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upgrade-cluster",
        abstract:
            "Move the embedded PostgreSQL cluster to the newest major version installed with pg_upgrade (Passage stopped; both versions installed)."
    )

    @Option(name: .customLong("data-dir"), help: "Directory of the embedded PostgreSQL cluster (default ./.passage).")
    var dataDirectory: String?

    @OptionGroup var log: LogOptions
    @Flag(name: .customLong("dry-run"), help: "Check and print the commands without running them.")
    var dryRun = false

    func validate() throws {
        if let dataDirectory, dataDirectory.isEmpty { throw ValidationError("--data-dir must not be empty") }
    }

    func run() throws {
        try log.bootstrapLogging(unless: .notice)
        let logger = Logger(label: "passage.upgrade-cluster")
        let upgrade: PostgresUpgrade
        do {
            upgrade = try PostgresUpgrade(dataDirectory: dataDirectory ?? "./.passage", logger: logger)
        } catch {
            throw UpgradeClusterFailure(message: "\(error)")
        }
        print("PostgreSQL \(upgrade.oldVersion) → \(upgrade.newVersion), as \(upgrade.user):")
        for command in upgrade.commands { print("  " + command) }
        guard !dryRun else { return }
        do {
            try upgrade.run()
        } catch {
            throw UpgradeClusterFailure(message: "\(error)")
        }
        print("Upgraded. " + upgrade.nextSteps)
    }
}

/// An upgrade that did not run: the message says why and what to do; exit status 1.
struct UpgradeClusterFailure: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
