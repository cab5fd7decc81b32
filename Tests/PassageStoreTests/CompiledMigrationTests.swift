import Foundation
import Logging
import Postgres
import TestSupport
import Testing

@testable import PassageStore

/// The migrations compiled into the binary by the EmbedSchema plugin are Schema/ exactly, so a
/// database migrated from the files (every one before issue 21) keeps its checksums.
@Suite("Migrations compiled into the binary")
struct CompiledMigrationTests {
    func runner(_ set: MigrationSet) -> MigrationRunner {
        var logger = Logger(label: "test.migrations")
        logger.logLevel = .warning
        return MigrationRunner(migrations: set, logger: logger)
    }

    @Test("the compiled-in migrations are Schema/'s files, byte for byte, in version order")
    func compiledInMatchesSchema() throws {
        let files = try MigrationSet.load(from: MigratedDatabase.schemaDirectory).migrations
        let compiled = MigrationSet.compiled.migrations
        // SwiftPM re-runs the plugin when Schema/ gains, loses or renames a file; an edit in
        // place of a file leaves the directory as it was (Plugins/EmbedSchema).
        let hint = "the build missed a change of Schema/: `touch Schema` and build again"
        #expect(compiled.map(\.version) == files.map(\.version), "\(hint)")
        for (file, embedded) in zip(files, compiled) {
            #expect(embedded.name == file.name, "migration \(file.version): \(hint)")
            #expect(Array(embedded.sql.utf8) == Array(file.sql.utf8), "migration \(file.fileName): \(hint)")
        }
        #expect(MigrationSet.compiled.latestVersion == files.last?.version)
    }

    @Test("a database migrated from Schema/ is current for the compiled-in set: same checksums, nothing applied")
    func checksumsUnchanged() async throws {
        let conninfo = try await TestCluster.freshDatabase()
        try runner(try MigrationSet.load(from: MigratedDatabase.schemaDirectory)).run(conninfo: conninfo)
        let outcome = try runner(.compiled).run(conninfo: conninfo)
        #expect(outcome.applied.isEmpty)
        #expect(outcome.latestVersion == MigrationSet.compiled.latestVersion)
    }

    @Test("the compiled-in set unless a directory is named: --schema-dir, then PASSAGE_SCHEMA_DIR")
    func choice() throws {
        let directory = NSTemporaryDirectory() + "passage-schema-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "SELECT 1;".write(toFile: directory + "/0001_only.sql", atomically: true, encoding: .utf8)
        #expect(
            try MigrationSet.chosen(directory: nil, environment: [:]).migrations == MigrationSet.compiled.migrations)
        #expect(try MigrationSet.chosen(directory: directory, environment: [:]).migrations.map(\.name) == ["only"])
        #expect(
            try MigrationSet.chosen(directory: nil, environment: ["PASSAGE_SCHEMA_DIR": directory]).migrations.map(
                \.name) == ["only"])
        #expect(throws: (any Error).self) {
            try MigrationSet.chosen(directory: directory + "/missing", environment: [:])
        }
    }
}
