import Postgres

/// The role Passage logged in as, and what it is to the schema: the owner that migrates (the
/// embedded cluster's superuser, or an external database's migration role), or a service role
/// that owns nothing and must hold the privileges `PrivilegeCheck.service` lists
/// (Docs/operations.md "External PostgreSQL with least privilege").
public struct ConnectedRole: Sendable, Equatable {
    public let name: String
    public let isSuperuser: Bool
    public let bypassesRowSecurity: Bool
    public let mayCreateRoles: Bool
    /// Whether `schema_migrations` exists (the database has a schema at all).
    public let hasSchema: Bool
    /// Whether this role owns `schema_migrations` (directly, through membership, or as a superuser).
    public let ownsSchema: Bool
    /// The role owning `schema_migrations`, when there is one.
    public let schemaOwner: String?

    /// The owner migrates; a role that does not own an existing schema only serves it.
    public var isServiceRole: Bool { hasSchema && !ownsSchema }

    public static func current(on connection: PostgresConnection) throws -> ConnectedRole {
        let row = try connection.query(
            """
            SELECT current_user::text, r.rolsuper, r.rolbypassrls, r.rolcreaterole,
                   c.oid IS NOT NULL, coalesce(pg_has_role(current_user, c.relowner, 'USAGE'), false),
                   pg_get_userbyid(c.relowner)::text
              FROM pg_roles r
              LEFT JOIN pg_class c ON c.oid = to_regclass('public.schema_migrations')
             WHERE r.rolname = current_user
            """)[0]
        let (name, superuser, bypass, createRole, hasSchema, owns, owner) = try row.decode(
            (String, Bool, Bool, Bool, Bool, Bool, String?).self)
        return ConnectedRole(
            name: name, isSuperuser: superuser, bypassesRowSecurity: bypass, mayCreateRoles: createRole || superuser,
            hasSchema: hasSchema, ownsSchema: owns, schemaOwner: owner)
    }
}

/// One privilege a role lacks, and the statement that grants it.
public struct MissingPrivilege: Sendable, Equatable, CustomStringConvertible {
    public let what: String
    public let grant: String

    public init(_ what: String, grant: String) {
        self.what = what
        self.grant = grant
    }

    public var description: String { "\(what) — \(grant);" }
}

/// Why Passage refuses to migrate or to serve a database with the role it logged in as. Each
/// names the statements that fix it; none is a bare SQLSTATE.
public enum PrivilegeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The migrating role lacks what the pending migrations need.
    case migrationRole(role: String, missing: [MissingPrivilege])
    /// The service role lacks privileges, or holds powers that would lift row-level security.
    case serviceRole(role: String, missing: [MissingPrivilege])
    /// `passage migrate` logged in as a role that does not own the schema.
    case migrateAsServiceRole(role: String, owner: String)
    /// A service role cannot migrate: the schema is older than this build.
    case schemaBehind(role: String, version: Int, needed: Int)

    public var description: String {
        switch self {
        case .migrationRole(let role, let missing):
            return """
                the role \(role) cannot apply the pending migrations; as a superuser, run (or run \
                Deploy/external/setup.sql):
                \(Self.list(missing))
                (if \(role) is meant to be the service role, run `passage migrate` first with the migration role's URL)
                """
        case .serviceRole(let role, let missing):
            return """
                the service role \(role) does not have what `passage serve` needs; run, as the migration role \
                (grants on objects) or a superuser (roles):
                \(Self.list(missing))
                """
        case .migrateAsServiceRole(let role, let owner):
            return
                "`passage migrate` logged in as \(role), which does not own the schema (\(owner) does): give the migration role's URL"
        case .schemaBehind(let role, let version, let needed):
            return
                "the database schema is at version \(version) and this build needs \(needed); \(role) does not own the schema, so run `passage migrate --database-url <the migration role's URL>` first"
        }
    }

    static func list(_ missing: [MissingPrivilege]) -> String {
        missing.map { "  - \($0)" }.joined(separator: "\n")
    }
}

/// The privilege checks: of the migrating role before migrations run (`migration`), and of the
/// service role before the server starts (`service`).
public enum PrivilegeCheck {
    /// The group role the migrations grant the service's privileges to (Schema/0016).
    public static let serviceGroup = "passage_service"
    /// The roles the server switches to: casework inside a scope, statistics for exports.
    public static let switchedRoles = ["passage_casework", "passage_statistics", "passage_statistics_scoped"]
}
