import Logging
import PassageStore
import Postgres

/// What a database is opened for: `passage migrate` changes the schema and must own it; every
/// other command uses it, migrating first when it owns it (the embedded cluster, a single-role
/// external database) and only checking it when it does not (the least-privilege setup).
public enum DatabaseUse: Sendable {
    case migrate
    case use
}

/// The schema brought up to date (owner) or found up to date (service role), with the
/// privileges each needs checked first (Docs/operations.md "External PostgreSQL with least
/// privilege").
struct PreparedSchema {
    var applied: [Int]
    var version: Int
    var role: ConnectedRole

    static func prepare(
        conninfo: String, migrations: MigrationSet, use: DatabaseUse, external: Bool, logger: Logger
    ) throws -> PreparedSchema {
        let connection = try PostgresConnection.connect(conninfo, timeouts: .maintenance)
        defer { connection.close() }
        let role = try ConnectedRole.current(on: connection)
        if role.isServiceRole {
            guard use == .use else {
                throw PrivilegeError.migrateAsServiceRole(role: role.name, owner: role.schemaOwner ?? "another role")
            }
            // Privileges first: without them even the schema's version list may not be readable.
            let missing = try PrivilegeCheck.service(role, on: connection)
            guard missing.isEmpty else {
                let error = PrivilegeError.serviceRole(role: role.name, missing: missing)
                logger.error("refusing to start: \(error)")
                throw error
            }
            let version = try PrivilegeCheck.verifySchema(migrations, role: role, on: connection)
            logger.info(
                "connected as the service role \(role.name): the schema (version \(version)) is owned by \(role.schemaOwner ?? "another role"), every privilege the server needs is held"
            )
            return PreparedSchema(applied: [], version: version, role: role)
        }
        if try !PrivilegeCheck.pendingVersions(of: migrations, on: connection).isEmpty {
            let missing = try PrivilegeCheck.migration(role, on: connection)
            guard missing.isEmpty else {
                let error = PrivilegeError.migrationRole(role: role.name, missing: missing)
                logger.error("refusing to migrate: \(error)")
                throw error
            }
        }
        let outcome = try MigrationRunner(migrations: migrations, logger: logger).run(on: connection)
        if external && use == .use {
            logger.notice(
                "connected as \(role.name), which owns the schema: outside an organisation's scope nothing but Passage's own SQL limits it; see Docs/operations.md \"External PostgreSQL with least privilege\" for a service role that owns nothing"
            )
        }
        return PreparedSchema(applied: outcome.applied, version: outcome.latestVersion, role: role)
    }
}
