import Foundation
import Logging
import PassageStore
import Postgres

/// A fresh database with Passage's schema applied: what the store and console tests start from.
public enum MigratedDatabase {
    /// The repository's Schema/ directory, found from this file's location.
    public static let schemaDirectory: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Schema").path

    /// Migrating takes seconds of blocking libpq calls: on a thread of its own (`offThePool`),
    /// because on the cooperative pool two tests migrating at once held both of its threads on a
    /// two-core machine, and every in-process server of the tests running beside them stalled
    /// (the parallel-run stall, Docs/testing.md).
    public static func conninfo(_ label: String = #function) async throws -> String {
        let conninfo = try await TestCluster.freshDatabase(label)
        try await offThePool {
            var logger = Logger(label: "test.migrations")
            logger.logLevel = .warning
            try MigrationRunner(migrations: try MigrationSet.load(from: schemaDirectory), logger: logger).run(
                conninfo: conninfo)
        }
        return conninfo
    }

    /// A migrated database and one open connection to it.
    public static func connection(_ label: String = #function) async throws -> PostgresConnection {
        try PostgresConnection.connect(try await conninfo(label))
    }
}
