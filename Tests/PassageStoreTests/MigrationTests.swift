import Foundation
import Logging
import Postgres
import TestSupport
import Testing

@testable import PassageStore

@Suite("Schema migrations")
struct MigrationTests {
    static let schemaDirectory: String = {
        // Tests/PassageStoreTests/MigrationTests.swift → repository root → Schema/
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent("Schema").path
    }()

    func runner(_ set: MigrationSet) -> MigrationRunner {
        var logger = Logger(label: "test.migrations")
        logger.logLevel = .warning
        return MigrationRunner(migrations: set, logger: logger)
    }

    @Test("a fresh database reaches the latest version and a second run does nothing")
    func freshThenIdempotent() async throws {
        let conninfo = try await TestCluster.freshDatabase()
        let set = try MigrationSet.load(from: Self.schemaDirectory)
        #expect(!set.migrations.isEmpty)
        let first = try runner(set).run(conninfo: conninfo)
        #expect(first.applied == set.migrations.map(\.version))
        #expect(first.latestVersion == set.migrations.last?.version)
        let second = try runner(set).run(conninfo: conninfo)
        #expect(second.applied.isEmpty)
        let connection = try PostgresConnection.connect(conninfo)
        defer { connection.close() }
        let count = try connection.query("SELECT count(*) FROM schema_migrations")[0].decode(Int.self)
        #expect(count == set.migrations.count)
        let organisation = try connection.query("SELECT name FROM organisations WHERE name = 'default'")
        #expect(organisation.count == 1)
    }

    @Test("an applied migration that was edited afterwards is refused")
    func editedMigrationRefused() async throws {
        let conninfo = try await TestCluster.freshDatabase()
        let original = MigrationSet(migrations: [
            Migration(version: 1, name: "first", sql: "CREATE TABLE first_table (x int);")
        ])
        try runner(original).run(conninfo: conninfo)
        let edited = MigrationSet(migrations: [
            Migration(version: 1, name: "first", sql: "CREATE TABLE first_table (x bigint);")
        ])
        #expect {
            try runner(edited).run(conninfo: conninfo)
        } throws: { error in
            guard case MigrationError.modifiedAfterApplied(let version, _, _, _) = error else { return false }
            return version == 1 && "\(error)".contains("never edit an applied migration")
        }
    }

    @Test("a run whose last migration fails applies none of its pending migrations: the database stays at its version")
    func failingMigrationRollsBackTheWholeRun() async throws {
        let conninfo = try await TestCluster.freshDatabase()
        let released = Migration(version: 1, name: "released", sql: "CREATE TABLE released_table (x int);")
        try runner(MigrationSet(migrations: [released])).run(conninfo: conninfo)
        let upgrade = MigrationSet(migrations: [
            released,
            Migration(version: 2, name: "good", sql: "CREATE TABLE good_table (x int); INSERT INTO released_table VALUES (2);"),
            Migration(version: 3, name: "bad", sql: "CREATE TABLE half_table (x int); SELECT no_such_function();"),
        ])
        #expect {
            try runner(upgrade).run(conninfo: conninfo)
        } throws: { error in
            guard case MigrationError.runRolledBack(let version, let name, _, let pending, let schema) = error else {
                return false
            }
            return version == 3 && name == "bad" && pending == [2, 3] && schema == 1
                && "\(error)".contains("none of the pending migrations (2–3) was applied")
        }
        let connection = try PostgresConnection.connect(conninfo)
        defer { connection.close() }
        let versions = try connection.query("SELECT version FROM schema_migrations ORDER BY version").map {
            try $0.decode(Int.self)
        }
        #expect(versions == [1])
        // Nothing of migration 2 either: neither its table nor its row in the released table.
        let left = try connection.query(
            "SELECT to_regclass('good_table') IS NULL, to_regclass('half_table') IS NULL, (SELECT count(*) FROM released_table) = 0"
        )[0].decode((Bool, Bool, Bool).self)
        #expect(left == (true, true, true))
        // The released set still runs on it: nothing pending, nothing refused.
        #expect(try runner(MigrationSet(migrations: [released])).run(conninfo: conninfo).applied.isEmpty)
    }

    @Test("a database migrated by a newer build is refused, naming the migration it does not know")
    func newerSchemaRefused() async throws {
        let conninfo = try await TestCluster.freshDatabase()
        let first = Migration(version: 1, name: "first", sql: "CREATE TABLE first_table (x int);")
        let newer = Migration(version: 2, name: "newer", sql: "CREATE TABLE newer_table (x int);")
        try runner(MigrationSet(migrations: [first, newer])).run(conninfo: conninfo)
        #expect {
            try runner(MigrationSet(migrations: [first])).run(conninfo: conninfo)
        } throws: { error in
            guard case MigrationError.unknownAppliedVersion(let version, let name) = error else { return false }
            return version == 2 && name == "newer" && "\(error)".contains("refusing to run")
        }
    }

    @Test("concurrent runners apply each migration once")
    func concurrentRunners() async throws {
        let conninfo = try await TestCluster.freshDatabase()
        let set = try MigrationSet.load(from: Self.schemaDirectory)
        let runner = self.runner(set)
        let outcomes = try await withThrowingTaskGroup(of: MigrationRunner.Outcome.self) { group in
            for _ in 0..<4 {
                group.addTask { try await Task.detached { try runner.run(conninfo: conninfo) }.value }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let appliedTotal = outcomes.flatMap(\.applied).sorted()
        #expect(appliedTotal == set.migrations.map(\.version))
    }

    @Test("a malformed migration file name is an error, not a skipped migration")
    func badFileName() throws {
        let directory = NSTemporaryDirectory() + "passage-badmig-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "SELECT 1;".write(toFile: directory + "/12_oops.sql", atomically: true, encoding: .utf8)
        #expect(throws: MigrationError.self) { try MigrationSet.load(from: directory) }
    }
}
