import Postgres

extension PrivilegeCheck {
    /// What the migrating role lacks for the migrations to run in full. Migrations 0004 and
    /// 0005 create roles and once skipped row-level security, without a word, when they could
    /// not: checked here before any migration runs, so a role without CREATEROLE gets the list
    /// of what a superuser must create or grant instead (Deploy/external/setup.sql does it all).
    /// Empty for a superuser.
    public static func migration(_ role: ConnectedRole, on connection: PostgresConnection) throws -> [MissingPrivilege] {
        guard !role.isSuperuser else { return [] }
        var missing: [MissingPrivilege] = []
        let (hasCrypto, mayCreateInDatabase, mayCreateInSchema, database) = try connection.query(
            """
            SELECT EXISTS (SELECT FROM pg_extension WHERE extname = 'pgcrypto'),
                   has_database_privilege(current_database(), 'CREATE'),
                   has_schema_privilege('public', 'CREATE'), current_database()::text
            """)[0].decode((Bool, Bool, Bool, String).self)
        if !hasCrypto && !mayCreateInDatabase {
            missing.append(
                MissingPrivilege(
                    "the extension pgcrypto (migration 1) is not installed and \(role.name) may not install it",
                    grant: "CREATE EXTENSION pgcrypto -- as a superuser, in the database \(database)"))
        }
        if !mayCreateInSchema {
            missing.append(
                MissingPrivilege(
                    "\(role.name) may not create tables in the schema public",
                    grant: "GRANT CREATE ON SCHEMA public TO \(quoted(role.name))"))
        }
        let names = switchedRoles + [serviceGroup]
        let rows = try connection.query(
            """
            SELECT n, r.oid IS NOT NULL,
                   r.oid IS NOT NULL AND pg_has_role(current_user, r.oid, 'MEMBER'),
                   r.oid IS NOT NULL AND pg_has_role(current_user, r.oid, 'MEMBER WITH ADMIN OPTION'),
                   r.oid IS NOT NULL AND s.oid IS NOT NULL AND pg_has_role(s.oid, r.oid, 'MEMBER')
              FROM unnest(\(names)::text[]) WITH ORDINALITY AS wanted (n, ord)
              LEFT JOIN pg_roles r ON r.rolname = n
              LEFT JOIN pg_roles s ON s.rolname = \(serviceGroup)
             ORDER BY ord
            """)
        for row in rows {
            let (name, exists, isMember, isAdmin, serviceIsMember) = try row.decode((String, Bool, Bool, Bool, Bool).self)
            if !exists && !role.mayCreateRoles {
                let attributes = name == switchedRoles[0] ? "NOLOGIN" : "NOLOGIN NOINHERIT"
                missing.append(
                    MissingPrivilege(
                        "role \(name) does not exist and \(role.name) may not create it (no CREATEROLE)",
                        grant: "CREATE ROLE \(name) \(attributes)"))
            }
            guard name != serviceGroup else { continue }
            // 0004 and 0005 make the migrating role a member (the single-role setup switches to them).
            if !isMember && !role.mayCreateRoles {
                missing.append(
                    MissingPrivilege(
                        "\(role.name) is not a member of \(name) and may not make itself one",
                        grant: "GRANT \(name) TO \(quoted(role.name))"))
            }
            // 0016 makes passage_service a member, so the service role may switch to it.
            if !serviceIsMember && !role.mayCreateRoles && !isAdmin {
                missing.append(
                    MissingPrivilege(
                        "\(serviceGroup) is not a member of \(name) and \(role.name) may not grant it",
                        grant: "GRANT \(name) TO \(serviceGroup)"))
            }
        }
        return missing
    }

    /// A role name as SQL writes it (quoted when it needs to be), for the statements we print.
    static func quoted(_ name: String) -> String {
        let plain = name.allSatisfy { ($0.isLetter && $0.isLowercase) || $0.isNumber || $0 == "_" }
            && name.first.map { !$0.isNumber } ?? false
        return plain ? name : "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
