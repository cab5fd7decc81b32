import Postgres

extension PrivilegeCheck {
    /// Tables the service reads but never writes: the audit chain (written only through the
    /// SECURITY DEFINER function audit_append) and the schema's version list.
    static let readOnlyTables: Set<String> = ["audit_log", "audit_chain_head", "schema_migrations"]

    /// The privileges a table needs: read and write, or only read (views and `readOnlyTables`).
    static func neededPrivileges(table: String, kind: String) -> [String] {
        if kind == "v" || kind == "m" || readOnlyTables.contains(table) { return ["SELECT"] }
        return ["SELECT", "INSERT", "UPDATE", "DELETE"]
    }

    /// What the service role lacks, or holds too much of, for `passage serve` on a schema it
    /// does not own (Docs/operations.md "External PostgreSQL with least privilege"). Every
    /// table, view, sequence and function of the schema public is checked, so a table a later
    /// migration adds is covered without a list to keep up. Refused rather than warned about:
    /// a missing privilege would otherwise surface as a 451 on the first command that needs
    /// it, and a role that bypasses row-level security defeats the setup's purpose.
    public static func service(_ role: ConnectedRole, on connection: PostgresConnection) throws -> [MissingPrivilege] {
        var missing: [MissingPrivilege] = []
        let login = quoted(role.name)
        if role.isSuperuser {
            missing.append(
                MissingPrivilege(
                    "\(role.name) is a superuser, to whom row-level security never applies",
                    grant: "ALTER ROLE \(login) NOSUPERUSER"))
        }
        if role.bypassesRowSecurity {
            missing.append(
                MissingPrivilege(
                    "\(role.name) has BYPASSRLS, so row-level security does not apply to it",
                    grant: "ALTER ROLE \(login) NOBYPASSRLS"))
        }
        let (groupExists, inGroup, usesSchema) = try connection.query(
            """
            SELECT EXISTS (SELECT FROM pg_roles WHERE rolname = \(serviceGroup)),
                   coalesce((SELECT pg_has_role(oid, 'USAGE') FROM pg_roles WHERE rolname = \(serviceGroup)), false),
                   has_schema_privilege('public', 'USAGE')
            """)[0].decode((Bool, Bool, Bool).self)
        if !groupExists {
            missing.append(
                MissingPrivilege(
                    "role \(serviceGroup) does not exist (migration 16 makes it)",
                    grant: "passage migrate --database-url <the migration role's URL>"))
            return missing
        }
        if !inGroup {
            // Without it every object below is missing too: one line says it all.
            missing.append(
                MissingPrivilege(
                    "\(role.name) does not hold the privileges of \(serviceGroup) (not a member, or NOINHERIT)",
                    grant: "GRANT \(serviceGroup) TO \(login); ALTER ROLE \(login) INHERIT"))
            return missing
        }
        if !usesSchema {
            missing.append(
                MissingPrivilege("USAGE on the schema public", grant: "GRANT USAGE ON SCHEMA public TO \(serviceGroup)"))
        }
        for name in switchedRoles {
            let isMember = try connection.query(
                """
                SELECT coalesce((SELECT pg_has_role(oid, 'MEMBER') FROM pg_roles WHERE rolname = \(name)), false)
                """)[0].decode(Bool.self)
            if !isMember {
                missing.append(
                    MissingPrivilege(
                        "membership of \(name) (the server switches to it)", grant: "GRANT \(name) TO \(serviceGroup)"))
            }
        }
        missing += try relationGaps(of: role, on: connection)
        missing += try functionGaps(on: connection)
        missing += try caseworkGaps(on: connection)
        return missing
    }

    /// What the migrations grant the casework role, which every command in an organisation's
    /// scope runs as: each table but those it is kept from (Schema/0007, 0010, 0015). Its
    /// grants come from 0004's default privileges, which hold only for tables created by the
    /// role that ran 0004: a schema migrated by two different roles lacks them, and every
    /// casework command then failed with SQLSTATE 42501.
    static func caseworkNeeds(table: String) -> [String] {
        switch table {
        case "audit_chain_head", "api_sessions", "schema_migrations": return []
        case "audit_log": return ["SELECT"]
        case "referral_contacts": return ["SELECT", "INSERT"]
        default: return ["SELECT", "INSERT", "UPDATE", "DELETE"]
        }
    }

    static func caseworkGaps(on connection: PostgresConnection) throws -> [MissingPrivilege] {
        let casework = switchedRoles[0]
        var missing: [MissingPrivilege] = []
        let rows = try connection.query(
            """
            SELECT c.relname::text, c.relkind::text,
                   CASE WHEN c.relkind = 'S' THEN has_sequence_privilege(\(casework), c.oid, 'USAGE') ELSE true END,
                   CASE WHEN c.relkind <> 'S' THEN has_table_privilege(\(casework), c.oid, 'SELECT') ELSE true END,
                   CASE WHEN c.relkind <> 'S' THEN has_table_privilege(\(casework), c.oid, 'INSERT') ELSE true END,
                   CASE WHEN c.relkind <> 'S' THEN has_table_privilege(\(casework), c.oid, 'UPDATE') ELSE true END,
                   CASE WHEN c.relkind <> 'S' THEN has_table_privilege(\(casework), c.oid, 'DELETE') ELSE true END
              FROM pg_class c
             WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'S')
               AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
             ORDER BY c.relname
            """)
        for row in rows {
            let (name, kind, sequenceUsage, select, insert, update, delete) = try row.decode(
                (String, String, Bool, Bool, Bool, Bool, Bool).self)
            if kind == "S" {
                if !sequenceUsage && name != "api_sessions_id_seq" {
                    missing.append(
                        MissingPrivilege(
                            "USAGE on the sequence \(name) for \(casework)",
                            grant: "GRANT USAGE, SELECT ON SEQUENCE \(name) TO \(casework)"))
                }
                continue
            }
            let held = ["SELECT": select, "INSERT": insert, "UPDATE": update, "DELETE": delete]
            let lacking = caseworkNeeds(table: name).filter { held[$0] != true }
            if !lacking.isEmpty {
                let privileges = lacking.joined(separator: ", ")
                missing.append(
                    MissingPrivilege(
                        "\(privileges) on \(name) for \(casework)", grant: "GRANT \(privileges) ON \(name) TO \(casework)"))
            }
        }
        let appends = try connection.query(
            """
            SELECT to_regprocedure('audit_append(text, text, text, text, text)') IS NULL
                OR has_function_privilege(\(casework), to_regprocedure('audit_append(text, text, text, text, text)'), 'EXECUTE')
            """)[0].decode(Bool.self)
        if !appends {
            missing.append(
                MissingPrivilege(
                    "EXECUTE on the function audit_append for \(casework)",
                    grant: "GRANT EXECUTE ON FUNCTION audit_append(text, text, text, text, text) TO \(casework)"))
        }
        return missing
    }

    /// Tables, views and sequences: the privileges each needs, none owned by the service role,
    /// and a policy letting it work outside a scope where row-level security is on.
    static func relationGaps(of role: ConnectedRole, on connection: PostgresConnection) throws -> [MissingPrivilege] {
        var missing: [MissingPrivilege] = []
        let rows = try connection.query(
            """
            SELECT c.relname::text, c.relkind::text, pg_has_role(c.relowner, 'MEMBER'), c.relrowsecurity,
                   EXISTS (SELECT FROM pg_policy p JOIN pg_roles r ON r.oid = ANY (p.polroles)
                            WHERE p.polrelid = c.oid AND r.rolname = \(serviceGroup)),
                   CASE WHEN c.relkind = 'S' THEN has_sequence_privilege(c.oid, 'USAGE') ELSE true END,
                   CASE WHEN c.relkind <> 'S' THEN has_table_privilege(c.oid, 'SELECT') ELSE true END,
                   CASE WHEN c.relkind <> 'S' THEN has_table_privilege(c.oid, 'INSERT') ELSE true END,
                   CASE WHEN c.relkind <> 'S' THEN has_table_privilege(c.oid, 'UPDATE') ELSE true END,
                   CASE WHEN c.relkind <> 'S' THEN has_table_privilege(c.oid, 'DELETE') ELSE true END
              FROM pg_class c
             WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
               AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
             ORDER BY c.relname
            """)
        for row in rows {
            let (name, kind, owned, rowSecurity, hasPolicy, sequenceUsage, select, insert, update, delete) =
                try row.decode((String, String, Bool, Bool, Bool, Bool, Bool, Bool, Bool, Bool).self)
            if owned {
                missing.append(
                    MissingPrivilege(
                        "\(role.name) owns \(name), so row-level security does not apply to it there",
                        grant: "ALTER TABLE \(name) OWNER TO <the migration role>"))
                continue
            }
            if kind == "S" {
                if !sequenceUsage {
                    missing.append(
                        MissingPrivilege(
                            "USAGE on the sequence \(name)", grant: "GRANT USAGE, SELECT ON SEQUENCE \(name) TO \(serviceGroup)"))
                }
                continue
            }
            let held = ["SELECT": select, "INSERT": insert, "UPDATE": update, "DELETE": delete]
            let lacking = neededPrivileges(table: name, kind: kind).filter { held[$0] != true }
            if !lacking.isEmpty {
                let privileges = lacking.joined(separator: ", ")
                missing.append(
                    MissingPrivilege(
                        "\(privileges) on \(name)", grant: "GRANT \(privileges) ON \(name) TO \(serviceGroup)"))
            }
            if rowSecurity && !hasPolicy {
                missing.append(
                    MissingPrivilege(
                        "a row-level security policy for \(serviceGroup) on \(name) (it would see no row outside a scope)",
                        grant:
                            "CREATE POLICY service_outside_scope ON \(name) TO \(serviceGroup) USING (true) WITH CHECK (true)"
                    ))
            }
        }
        return missing
    }

    /// Functions of the schema (not those of extensions): EXECUTE on each.
    static func functionGaps(on connection: PostgresConnection) throws -> [MissingPrivilege] {
        let rows = try connection.query(
            """
            SELECT p.proname::text || '(' || pg_get_function_identity_arguments(p.oid) || ')'
              FROM pg_proc p
             WHERE p.pronamespace = 'public'::regnamespace AND NOT has_function_privilege(p.oid, 'EXECUTE')
               AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
             ORDER BY 1
            """)
        return try rows.map { row in
            let signature = try row.decode(String.self)
            return MissingPrivilege(
                "EXECUTE on the function \(signature)", grant: "GRANT EXECUTE ON FUNCTION \(signature) TO \(serviceGroup)")
        }
    }
}
