import Logging
import Postgres

/// Brings a database to the latest schema. Each migration runs in its own transaction and is
/// recorded in `schema_migrations` with the SHA-256 of its text, so an applied file that was
/// edited later is refused instead of silently diverging. Concurrent runners (two `passage
/// serve` starting at once, or `passage migrate` beside a server) queue on an advisory lock.
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
        var newlyApplied: [Int] = []
        for migration in migrations.migrations {
            let checksum = try Self.checksum(of: migration.sql, on: connection)
            if let existing = applied[migration.version] {
                guard existing.checksum == checksum else {
                    throw MigrationError.modifiedAfterApplied(
                        version: migration.version, name: migration.name, applied: existing.checksum, now: checksum)
                }
                continue
            }
            do {
                try connection.transaction { connection in
                    try connection.executeScript(migration.sql)
                    try connection.execute(
                        """
                        INSERT INTO schema_migrations (version, name, checksum) VALUES (\(migration.version), \(migration.name), \(checksum))
                        """)
                }
            } catch {
                throw MigrationError.failed(version: migration.version, name: migration.name, underlying: "\(error)")
            }
            logger.info("applied migration \(migration.fileName)")
            newlyApplied.append(migration.version)
        }
        return Outcome(applied: newlyApplied, latestVersion: migrations.migrations.last?.version ?? 0)
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
