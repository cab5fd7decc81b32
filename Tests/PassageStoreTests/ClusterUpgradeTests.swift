import Foundation
import Logging
import TestSupport
import Testing

@testable import EmbeddedPostgres

/// `passage upgrade-cluster` (ClusterUpgrade). Only one PostgreSQL major version is installed
/// here, so pg_upgrade itself cannot run in a test: these cover what is checked before anything
/// is touched, and the commands it would run (with a stand-in PostgreSQL 11, ClusterVersionTests).
@Suite("Embedded cluster: upgrade-cluster's checks and plan")
struct ClusterUpgradeTests {
    static var quiet: Logger {
        var logger = Logger(label: "test.upgrade-cluster")
        logger.logLevel = .critical
        return logger
    }

    @Test("no cluster, or a cluster already at the newest version installed: nothing to upgrade")
    func nothingToUpgrade() async throws {
        let empty = "/tmp/passage-cu-\(getpid())-empty"
        defer { try? FileManager.default.removeItem(atPath: empty) }
        #expect {
            try ClusterUpgrade(directory: empty, logger: Self.quiet)
        } throws: { "\($0)".contains("no PostgreSQL cluster in \(empty)/data") }

        let current = try ClusterVersionTests.clusterDirectory(
            version: try #require(try PostgresInstallation.locate().majorVersion()), "current")
        defer { try? FileManager.default.removeItem(atPath: current) }
        #expect {
            try ClusterUpgrade(directory: current, logger: Self.quiet)
        } throws: { "\($0)".contains("nothing to upgrade") }
    }

    @Test("without the old version's programs there is no upgrade: the error says to install them, and nothing is touched")
    func oldProgramsGone() throws {
        let cluster = try ClusterVersionTests.clusterDirectory(version: "11", "gone")
        defer { try? FileManager.default.removeItem(atPath: cluster) }
        #expect {
            try ClusterUpgrade(directory: cluster, logger: Self.quiet)
        } throws: { error in
            "\(error)".contains("no PostgreSQL 11 server is installed") && "\(error)".contains("apt-get install postgresql-11")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: cluster) == ["data"])
    }

    @Test("with both versions: initdb of the new version beside the data, then pg_upgrade from the old programs to the new")
    func planWithBothVersions() throws {
        let (root, installed, version) = try ClusterVersionTests.versionsRoot("plan")
        let cluster = try ClusterVersionTests.clusterDirectory(version: "11", "plan")
        defer {
            try? FileManager.default.removeItem(atPath: root)
            try? FileManager.default.removeItem(atPath: cluster)
        }
        let upgrade = try ClusterUpgrade(
            directory: cluster, environment: [:], askPgConfig: false, versionsRoot: root, logger: Self.quiet)
        #expect(upgrade.oldVersion == "11")
        #expect(upgrade.newVersion == version)
        #expect(upgrade.old.binDirectory == root + "/11/bin")
        #expect(upgrade.new.binDirectory == root + "/\(version)/bin")
        #expect(Array(upgrade.initdbArguments.prefix(2)) == ["-D", cluster + "/data-" + version])
        let oldBin: String = root + "/11/bin"
        let newBin: String = root + "/" + version + "/bin"
        let newData: String = cluster + "/data-" + version
        let expected: [String] = [
            "--old-bindir", oldBin, "--new-bindir", newBin, "--old-datadir", cluster + "/data", "--new-datadir", newData,
        ]
        #expect(Array(upgrade.pgUpgradeArguments.prefix(8)) == expected)
        #expect(upgrade.keptOldDataDirectory == cluster + "/data-11-old")
        _ = installed

        // A leftover new directory of an earlier attempt is not overwritten.
        try FileManager.default.createDirectory(atPath: cluster + "/data-\(version)", withIntermediateDirectories: false)
        #expect {
            try ClusterUpgrade(directory: cluster, environment: [:], askPgConfig: false, versionsRoot: root, logger: Self.quiet)
        } throws: { "\($0)".contains("data-\(version) exists") }
    }

    @Test("version order: 16 after 15, 10 after 9.6, not 15 after 15")
    func versionOrder() {
        #expect(ClusterUpgrade.isNewer("16", than: "15"))
        #expect(ClusterUpgrade.isNewer("10", than: "9.6"))
        #expect(!ClusterUpgrade.isNewer("15", than: "15"))
        #expect(!ClusterUpgrade.isNewer("9.6", than: "15"))
    }
}

/// The upgrade run for real. pg_upgrade also works within one major version, the only one
/// installed here, so this runs every step (initdb, pg_upgrade, settings carried over, the
/// swap) and starts the result: what a 15 → 17 run does but the version change itself.
@Suite("Embedded cluster: upgrade-cluster's run")
struct ClusterUpgradeRunTests {
    @Test("initdb, pg_upgrade and the swap keep the data and the settings files; the old data is kept beside")
    func upgradeRunsAndKeepsData() async throws {
        let outcome = try await offThePool { () throws -> [Bool] in
            let directory = "/tmp/passage-cu-\(getpid())-run"
            try? FileManager.default.removeItem(atPath: directory)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let installation = try PostgresInstallation.locate()
            let version = try #require(installation.majorVersion())
            let cluster = EmbeddedCluster(directory: directory, installation: installation)
            try cluster.start()
            try cluster.createDatabase("kept")
            try cluster.runAdministrativeSQL("CREATE TABLE kept(x int); INSERT INTO kept VALUES (42)", database: "kept")
            try cluster.settings.write("backup", settings: [("work_mem", "'7MB'")], comment: "as backup.conf would be")
            try cluster.stop()

            let upgrade = try ClusterUpgrade(
                directory: directory, to: installation, environment: [:], askPgConfig: false,
                versionsRoot: "/usr/lib/postgresql", logger: ClusterUpgradeTests.quiet, sameVersion: true)
            try upgrade.run()
            let kept = FileManager.default.fileExists(atPath: directory + "/data-\(version)-old/PG_VERSION")
            let newGone = !FileManager.default.fileExists(atPath: directory + "/data-\(version)")

            let upgraded = EmbeddedCluster(
                directory: directory, installation: try PostgresInstallation.locate(forClusterIn: directory))
            try upgraded.start()
            defer { try? upgraded.stop(immediate: true) }
            // The row and the carried-over settings file are there (psql fails on either missing).
            try upgraded.runAdministrativeSQL(
                """
                DO $$ BEGIN
                  IF (SELECT x FROM kept) <> 42 THEN RAISE 'lost'; END IF;
                  IF current_setting('work_mem') <> '7MB' THEN RAISE 'backup.conf not carried over'; END IF;
                  IF current_setting('logging_collector') <> 'on' THEN RAISE 'logging.conf missing'; END IF;
                END $$
                """, database: "kept")
            return [kept, newGone]
        }
        #expect(outcome == [true, true])
    }
}
