import EmbeddedPostgres
import Foundation
import TestSupport
import Testing

@Suite("Embedded cluster")
struct EmbeddedClusterTests {
    @Test("the throwaway cluster hands out separate fresh databases")
    func freshDatabasesAreDistinct() async throws {
        let first = try await TestCluster.freshDatabase()
        let second = try await TestCluster.freshDatabase()
        #expect(first != second)
        let cluster = try await TestCluster.cluster()
        #expect(cluster.isRunning())
    }

    @Test("start, stop and start again keeps the data")
    func restartKeepsData() async throws {
        let (stoppedWhileStopped, runningAfterRestart) = try await offThePool { try Self.restartKeepsDataBody() }
        #expect(stoppedWhileStopped)
        #expect(runningAfterRestart)
    }

    /// Returns (not running after stop, running after the second start); throws if data is lost.
    static func restartKeepsDataBody() throws -> (Bool, Bool) {
        let directory = "/tmp/passage-ec-\(getpid())-restart"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let cluster = EmbeddedCluster(directory: directory, installation: try PostgresInstallation.locate())
        try cluster.start()
        defer { try? cluster.stop(immediate: true) }
        try cluster.createDatabase("keepme")
        try cluster.runAdministrativeSQL("CREATE TABLE kept(x int); INSERT INTO kept VALUES (42)", database: "keepme")
        try cluster.stop()
        let stopped = !cluster.isRunning()
        try cluster.start()
        let running = cluster.isRunning()
        // The row written before the restart is still there: psql fails on a missing table.
        try cluster.runAdministrativeSQL(
            "DO $$ BEGIN IF (SELECT x FROM kept) <> 42 THEN RAISE 'lost'; END IF; END $$", database: "keepme")
        return (stopped, running)
    }

    @Test("a second launcher adopts a cluster already running, as after kill -9 of passage serve")
    func adoptsRunningCluster() async throws {
        #expect(try await offThePool { try Self.adoptsRunningClusterBody() })
    }

    /// Returns whether the second launcher sees the cluster running; throws if it cannot use it.
    static func adoptsRunningClusterBody() throws -> Bool {
        let directory = "/tmp/passage-ec-\(getpid())-adopt"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let installation = try PostgresInstallation.locate()
        let first = EmbeddedCluster(directory: directory, installation: installation)
        try first.start()
        defer { try? first.stop(immediate: true) }
        let second = EmbeddedCluster(directory: directory, installation: installation)
        try second.start()
        let running = second.isRunning()
        try second.createDatabase("adopted")
        return running
    }

    @Test("a deep data directory gets a short socket directory")
    func longPathUsesShortSocket() {
        let deep = "/tmp/" + String(repeating: "d", count: 120)
        let cluster = EmbeddedCluster(directory: deep, installation: PostgresInstallation(binDirectory: "/nonexistent"))
        #expect(cluster.socketDirectory.utf8.count <= 92)
        #expect(cluster.socketDirectory.hasPrefix("/tmp/passage-"))
    }

    @Test("a missing installation names what to install")
    func missingInstallationIsExplained() throws {
        do {
            _ = try PostgresInstallation.locate(
                environment: [:], askPgConfig: false, versionsRoot: "/nonexistent-postgresql")
            Issue.record("locate found an installation in an empty search path")
        } catch let error as EmbeddedClusterError {
            #expect(error.description.contains("apt-get install -y postgresql"))
            #expect(error.description.contains("/nonexistent-postgresql"))
        }
    }
}
