import Foundation
import Logging

/// `passage upgrade-cluster`: moves the embedded cluster to a newer PostgreSQL major version
/// with `pg_upgrade`, which needs the server programs of both versions. As the cluster's owner:
/// a fresh `initdb` of the new version beside the old data (same superuser, encoding, locale),
/// `pg_upgrade` from the old to the new, then the directories swapped — the old data kept as
/// `data-<old>-old` until the operator removes it — and Passage's server settings files
/// (`passage.conf.d`, the backup's archive settings) carried over. Nothing is changed until
/// pg_upgrade succeeds, except the new directory, which a failed run removes again.
public struct ClusterUpgrade {
    public let directory: String
    public let old: PostgresInstallation
    public let new: PostgresInstallation
    public let oldVersion: String
    public let newVersion: String
    private let logger: Logger

    /// Checks everything that can be checked before touching anything: the cluster exists, the
    /// server of its version is installed (else the advice of `locate(forClusterIn:)`), the new
    /// one is newer, the cluster is stopped, and the new directory is free.
    public init(
        directory: String, to target: PostgresInstallation? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment, askPgConfig: Bool = true,
        versionsRoot: String = "/usr/lib/postgresql", logger: Logger
    ) throws {
        try self.init(
            directory: directory, to: target, environment: environment, askPgConfig: askPgConfig,
            versionsRoot: versionsRoot, logger: logger, sameVersion: false)
    }

    /// `sameVersion`: pg_upgrade within one major version, which PostgreSQL allows — only so the
    /// tests can run a real upgrade where a single version is installed.
    init(
        directory: String, to target: PostgresInstallation?, environment: [String: String], askPgConfig: Bool,
        versionsRoot: String, logger: Logger, sameVersion: Bool
    ) throws {
        let absolute = URL(fileURLWithPath: directory).standardizedFileURL.path
        self.directory = absolute
        self.logger = logger
        guard let clusterVersion = ClusterVersion.of(dataDirectory: absolute + "/data") else {
            throw ClusterUpgradeError("there is no PostgreSQL cluster in \(absolute)/data (no PG_VERSION): nothing to upgrade")
        }
        // The newest installed (or the one asked for) is the target.
        let new = try target
            ?? PostgresInstallation.locate(environment: environment, askPgConfig: false, versionsRoot: versionsRoot)
        guard let newVersion = new.majorVersion() else {
            throw ClusterUpgradeError("cannot tell the PostgreSQL version of \(new.binDirectory) (pg_ctl --version)")
        }
        guard Self.isNewer(newVersion, than: clusterVersion) || (sameVersion && newVersion == clusterVersion) else {
            throw ClusterUpgradeError(
                "the cluster in \(absolute)/data is PostgreSQL \(clusterVersion) and the newest server installed is PostgreSQL \(newVersion): nothing to upgrade"
            )
        }
        // pg_upgrade reads the old cluster with the old programs: without them there is no upgrade.
        old = try PostgresInstallation.locate(
            forClusterIn: absolute, environment: environment, askPgConfig: askPgConfig, versionsRoot: versionsRoot)
        self.new = new
        self.oldVersion = clusterVersion
        self.newVersion = newVersion
        if EmbeddedCluster(directory: absolute, installation: old, logger: logger).isRunning() {
            throw ClusterUpgradeError(
                "the cluster in \(absolute)/data is running: stop Passage first (systemctl stop passage), then run upgrade-cluster again"
            )
        }
        for path in [newDataDirectory, keptOldDataDirectory] where FileManager.default.fileExists(atPath: path) {
            throw ClusterUpgradeError(
                "\(path) exists (a previous upgrade's?): move it away or remove it, then run upgrade-cluster again")
        }
    }

    public var dataDirectory: String { directory + "/data" }
    public var newDataDirectory: String { directory + "/data-\(newVersion)" }
    public var keptOldDataDirectory: String { directory + "/data-\(oldVersion)-old" }

    /// The commands, as the error of a missing version and Docs/operations.md show them.
    public var initdbArguments: [String] {
        ["-D", newDataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-instructions"]
    }

    public var pgUpgradeArguments: [String] {
        [
            "--old-bindir", old.binDirectory, "--new-bindir", new.binDirectory, "--old-datadir", dataDirectory,
            "--new-datadir", newDataDirectory, "--socketdir", socketDirectory, "--username", "postgres",
        ]
    }

    /// pg_upgrade's servers listen on a socket here (the cluster's own socket directory).
    private var socketDirectory: String {
        EmbeddedCluster(directory: directory, installation: old, logger: logger).socketDirectory
    }

    /// Runs the upgrade. On failure the new directory is removed and the old data is untouched.
    public func run() throws {
        logger.notice("upgrading the cluster in \(dataDirectory) from PostgreSQL \(oldVersion) to \(newVersion)")
        do {
            try ToolRunner.run(new.tool("initdb"), initdbArguments, asServerUser: true)
            // pg_upgrade writes its files into the current directory: the cluster's own one.
            try ToolRunner.run(
                "/bin/sh", ["-c", "cd \"$0\" && exec \"$@\"", directory, new.tool("pg_upgrade")] + pgUpgradeArguments,
                asServerUser: true)
        } catch {
            try? FileManager.default.removeItem(atPath: newDataDirectory)
            throw ClusterUpgradeError("pg_upgrade did not complete; the cluster is unchanged on PostgreSQL \(oldVersion): \(error)")
        }
        // Passage's own settings files (not logging.conf: every start writes it again).
        let settings = ServerSettings(dataDirectory: newDataDirectory)
        try settings.prepare()
        let oldSettings = ServerSettings(dataDirectory: dataDirectory).directory
        for file in (try? FileManager.default.contentsOfDirectory(atPath: oldSettings)) ?? []
        where file.hasSuffix(".conf") && file != "logging.conf" {
            try FileManager.default.copyItem(atPath: oldSettings + "/" + file, toPath: settings.directory + "/" + file)
            if ToolRunner.isRoot {
                try ToolRunner.run(
                    "/bin/chown", [ToolRunner.serverUser + ":", settings.directory + "/" + file], asServerUser: false)
            }
        }
        try FileManager.default.moveItem(atPath: dataDirectory, toPath: keptOldDataDirectory)
        try FileManager.default.moveItem(atPath: newDataDirectory, toPath: dataDirectory)
        logger.notice(
            "the cluster is now PostgreSQL \(newVersion); the old data is kept in \(keptOldDataDirectory) until you remove it")
    }

    /// "16" newer than "15"; "10" newer than "9.6".
    static func isNewer(_ candidate: String, than current: String) -> Bool {
        let number = { (text: String) in text.split(separator: ".").compactMap { Int($0) } }
        return number(current).lexicographicallyPrecedes(number(candidate))
    }
}

/// Why `passage upgrade-cluster` did not upgrade; says what to do.
public struct ClusterUpgradeError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
