import Postgres

extension PrivilegeCheck {
    /// The versions of `migrations` the database has not applied (all of them when it has no
    /// schema yet): whether the migrating role's privileges need checking at all.
    public static func pendingVersions(of migrations: MigrationSet, on connection: PostgresConnection) throws -> [Int] {
        let applied = try appliedMigrations(on: connection)
        return migrations.migrations.map(\.version).filter { applied[$0] == nil }
    }

    /// A service role cannot migrate, so it checks instead that the schema is exactly the one
    /// this build carries: every migration applied, none changed, none unknown. Returns the
    /// schema version.
    public static func verifySchema(
        _ migrations: MigrationSet, role: ConnectedRole, on connection: PostgresConnection
    ) throws -> Int {
        let applied = try appliedMigrations(on: connection)
        let known = Set(migrations.migrations.map(\.version))
        if let stranger = applied.keys.sorted().first(where: { !known.contains($0) }) {
            throw MigrationError.unknownAppliedVersion(stranger, name: applied[stranger]?.name ?? "?")
        }
        for migration in migrations.migrations {
            guard let existing = applied[migration.version] else {
                throw PrivilegeError.schemaBehind(
                    role: role.name, version: applied.keys.max() ?? 0, needed: migrations.latestVersion)
            }
            let checksum = try MigrationRunner.checksum(of: migration.sql, on: connection)
            guard existing.checksum == checksum else {
                throw MigrationError.modifiedAfterApplied(
                    version: migration.version, name: migration.name, applied: existing.checksum, now: checksum)
            }
        }
        return migrations.latestVersion
    }

    static func appliedMigrations(on connection: PostgresConnection) throws -> [Int: (name: String, checksum: String)] {
        let exists = try connection.query("SELECT to_regclass('public.schema_migrations') IS NOT NULL")[0].decode(
            Bool.self)
        guard exists else { return [:] }
        var applied: [Int: (name: String, checksum: String)] = [:]
        for row in try connection.query("SELECT version, name, checksum FROM schema_migrations") {
            let (version, name, checksum) = try row.decode((Int, String, String).self)
            applied[version] = (name, checksum)
        }
        return applied
    }
}
