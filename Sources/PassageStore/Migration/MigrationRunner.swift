import Logging
import Postgres

/// Brings a database to the latest schema. The pending migrations of one run are applied in ONE
/// transaction, all or nothing: when any of them fails, the database stays at the schema it
/// had, which the previous release of Passage runs on (Docs/operations.md "Upgrading Passage").
/// So a migration may not hold a statement that cannot run in a transaction block (`CREATE
/// INDEX CONCURRENTLY`, `VACUUM`, `ALTER SYSTEM`, a `COMMIT`), nor use an enum value that an
/// earlier pending migration added with `ALTER TYPE … ADD VALUE`; none in Schema/ does.
/// Each is recorded in `schema_migrations` with the SHA-256 of its text, so an applied file that
/// was edited later is refused instead of silently diverging; a database holding a migration
/// this build does not know (a newer release migrated it) is refused, not run on. Concurrent
/// runners (two `passage serve` starting at once, or `passage migrate` beside a server) queue
/// on an advisory lock.
public struct MigrationRunner: Sendable {
    /// Arbitrary but fixed: the advisory-lock key that serialises migration runners.
    static let advisoryLockKey: Int64 = 0x5061_7373_6167_6501

    public let migrations: MigrationSet
    private let logger: Logger

    public init(migrations: MigrationSet, logger: Logger) {
        self.migrations = migrations
        self.logger = logger
    }

    public struct Outcome: Sendable, Equatable {
        public var applied: [Int]
        public var latestVersion: Int
    }

    /// Applies every pending migration on `connection` and returns what it did.
    @discardableResult
    public func run(on connection: PostgresConnection) throws -> Outcome {
        try connection.execute("SELECT pg_advisory_lock(\(Self.advisoryLockKey))")
        defer { _ = try? connection.execute("SELECT pg_advisory_unlock(\(Self.advisoryLockKey))") }
        try connection.executeScript(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    integer PRIMARY KEY,
                name       text NOT NULL,
                checksum   text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """)
        var applied: [Int: (name: String, checksum: String)] = [:]
        for row in try connection.query("SELECT version, name, checksum FROM schema_migrations") {
            let (version, name, checksum) = try row.decode((Int, String, String).self)
            applied[version] = (name, checksum)
        }
        let known = Set(migrations.migrations.map(\.version))
        if let stranger = applied.keys.sorted().first(where: { !known.contains($0) }) {
            throw MigrationError.unknownAppliedVersion(stranger, name: applied[stranger]?.name ?? "?")
        }
        var pending: [(migration: Migration, checksum: String)] = []
        for migration in migrations.migrations {
            let checksum = try Self.checksum(of: migration.sql, on: connection)
            if let existing = applied[migration.version] {
                guard existing.checksum == checksum else {
                    throw MigrationError.modifiedAfterApplied(
                        version: migration.version, name: migration.name, applied: existing.checksum, now: checksum)
                }
                continue
            }
            pending.append((migration, checksum))
        }
        let latest = migrations.migrations.last?.version ?? 0
        guard !pending.isEmpty else { return Outcome(applied: [], latestVersion: latest) }
        let schemaBefore = applied.keys.max() ?? 0
        // Which migration was running when the transaction failed (a COMMIT failure: the last).
        var current = pending[0].migration
        do {
            try connection.transaction { connection in
                for (migration, checksum) in pending {
                    current = migration
                    try connection.executeScript(migration.sql)
                    try connection.execute(
                        """
                        INSERT INTO schema_migrations (version, name, checksum) VALUES (\(migration.version), \(migration.name), \(checksum))
                        """)
                }
            }
        } catch {
            let failure = MigrationError.runRolledBack(
                version: current.version, name: current.name, underlying: "\(error)",
                pending: pending.map(\.migration.version), schema: schemaBefore)
            logger.error("\(failure)")
            throw failure
        }
        for (migration, _) in pending { logger.info("applied migration \(migration.fileName)") }
        return Outcome(applied: pending.map(\.migration.version), latestVersion: latest)
    }

    /// The server computes the checksum, so no hashing code of our own is needed.
    static func checksum(of sql: String, on connection: PostgresConnection) throws -> String {
        let rows = try connection.query("SELECT encode(sha256(convert_to(\(sql), 'UTF8')), 'hex')")
        return try rows[0].decode(String.self)
    }
}

extension MigrationRunner {
    /// Connects, migrates and disconnects. Without statement and lock timeouts: a migration of a
    /// large database may run long, and one stopped halfway helps nobody.
    @discardableResult
    public func run(conninfo: String) throws -> Outcome {
        let connection = try PostgresConnection.connect(conninfo, timeouts: .maintenance)
        defer { connection.close() }
        return try run(on: connection)
    }
}
