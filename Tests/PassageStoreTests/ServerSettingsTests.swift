import EmbeddedPostgres
import Foundation
import TestSupport
import Testing

/// The embedded cluster's server settings (DATA/passage.conf.d, read through one include_dir
/// line) and its rotated log (Docs/operations.md, "The embedded cluster's log").
@Suite("Embedded cluster: server settings and its rotated log")
struct ServerSettingsTests {
    @Test("a cluster made before passage.conf.d gets the log collector and the settings files at its next start")
    func olderClusterGetsSettingsAtNextStart() async throws {
        let (logFile, mode) = try await offThePool { try Self.olderClusterBody() }
        #expect(logFile.hasPrefix("/tmp/passage-ec-\(getpid())-settings/log/postgresql-"))
        #expect(logFile.hasSuffix(".log"))
        #expect(mode == 0o600)
    }

    /// Returns the current log file and its mode; throws when a setting is not in force.
    static func olderClusterBody() throws -> (String, Int) {
        let directory = "/tmp/passage-ec-\(getpid())-settings"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let cluster = EmbeddedCluster(directory: directory, installation: try PostgresInstallation.locate())
        try cluster.start()
        defer { try? cluster.stop(immediate: true) }
        try cluster.stop()
        // As an older Passage left it: no include_dir line, no passage.conf.d, log collector off.
        let configuration = cluster.dataDirectory + "/postgresql.conf"
        let original = try String(contentsOfFile: configuration, encoding: .utf8)
        let stripped = original.split(separator: "\n", omittingEmptySubsequences: false)
            .filter { !$0.contains("passage.conf.d") }.joined(separator: "\n")
        #expect(stripped != original)
        try stripped.write(toFile: configuration, atomically: false, encoding: .utf8)
        try FileManager.default.removeItem(atPath: cluster.settings.directory)

        try cluster.start()
        // Another concern's file (as backup writes backup.conf) is read at the next start.
        try cluster.settings.write("extra", settings: [("work_mem", "'7MB'")], comment: "a test's own file")
        try cluster.stop()
        try cluster.start()
        try cluster.runAdministrativeSQL(
            """
            DO $$ BEGIN
              IF current_setting('logging_collector') <> 'on' THEN RAISE 'logging_collector is off'; END IF;
              IF current_setting('log_truncate_on_rotation') <> 'on' THEN RAISE 'no truncation'; END IF;
              IF current_setting('log_filename') <> 'postgresql-%a.log' THEN RAISE 'log_filename'; END IF;
              IF current_setting('work_mem') <> '7MB' THEN RAISE 'extra.conf not read'; END IF;
            END $$
            """, database: "postgres")
        // The include line is added once, not at every start.
        let lines = try String(contentsOfFile: configuration, encoding: .utf8).split(separator: "\n")
        #expect(lines.filter { $0.hasPrefix("include_dir") }.count == 1)
        let logFile = try #require(cluster.currentLogFile())
        let mode = try FileManager.default.attributesOfItem(atPath: logFile)[.posixPermissions] as? Int ?? 0
        return (logFile, mode)
    }
}
