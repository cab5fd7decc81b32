-- The service role (issue 21, "External PostgreSQL, least privilege"): `passage_service`, a group
-- role without login that holds exactly what `passage serve` needs. On an external PostgreSQL the
-- administrator grants it to the server's login role, which then owns nothing: it cannot change
-- the schema, the policies or the SECURITY DEFINER functions, cannot rewrite the audit log, and
-- row-level security applies to it (Deploy/external/, Docs/operations.md "External PostgreSQL
-- with least privilege"). On the embedded cluster the login role owns the schema as before and
-- this role is simply unused.
--
-- Never a silent skip: where the migrating role may not create or grant a role, this migration
-- fails naming the statement a superuser runs (Deploy/external/setup.sql runs them all), and
-- `passage migrate` checks the same before any migration runs (PrivilegeCheck+Migration.swift).

DO $$
BEGIN
    -- 0004 and 0005 create these where they can; a database migrated by a role that could not
    -- went without row-level security. That is refused here, not carried on.
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'passage_casework')
       OR NOT EXISTS (SELECT FROM pg_policy WHERE polname = 'own_cases' AND polrelid = 'cases'::regclass) THEN
        RAISE EXCEPTION 'row-level security of migration 0004 is missing from this database (role passage_casework or its policies): it was migrated by a role that could not create roles'
            USING ERRCODE = 'insufficient_privilege',
                  HINT = 'Docs/operations.md "External PostgreSQL with least privilege" describes the repair: restore into a database made with Deploy/external/setup.sql';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'passage_service') THEN
        BEGIN
            CREATE ROLE passage_service NOLOGIN NOINHERIT;
        EXCEPTION
            WHEN duplicate_object OR unique_violation THEN NULL; -- another database made it just now
            WHEN insufficient_privilege THEN
                RAISE EXCEPTION 'role passage_service does not exist and % may not create it', current_user
                    USING ERRCODE = 'insufficient_privilege',
                          HINT = 'as a superuser: CREATE ROLE passage_service NOLOGIN NOINHERIT (Deploy/external/setup.sql)';
        END;
    END IF;
END $$;

-- The roles the server switches to (SET ROLE needs membership of the login role). NOINHERIT
-- above: passage_service holds their memberships but not their privileges, so the service role
-- has exactly what is granted below and the start check sees the real gaps.
DO $$
DECLARE
    name text;
BEGIN
    FOREACH name IN ARRAY ARRAY['passage_casework', 'passage_statistics', 'passage_statistics_scoped'] LOOP
        IF NOT pg_has_role('passage_service', name, 'MEMBER') THEN
            BEGIN
                EXECUTE format('GRANT %I TO passage_service', name);
            EXCEPTION
                WHEN duplicate_object OR unique_violation THEN NULL;
                WHEN insufficient_privilege THEN
                    RAISE EXCEPTION '% may not grant role % to passage_service', current_user, name
                        USING ERRCODE = 'insufficient_privilege',
                              HINT = format('as a superuser: GRANT %I TO passage_service (Deploy/external/setup.sql)', name);
            END;
        END IF;
    END LOOP;
END $$;

-- Tables: read and write, except the audit chain (written only through audit_append, which is
-- SECURITY DEFINER) and the schema's version list. Tables of later migrations get the same
-- through the default privileges; the start check (PrivilegeCheck+Service.swift) names any gap.
GRANT USAGE ON SCHEMA public TO passage_service;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO passage_service;
REVOKE INSERT, UPDATE, DELETE ON audit_log, audit_chain_head, schema_migrations FROM passage_service;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO passage_service;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO passage_service;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO passage_service;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO passage_service;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT EXECUTE ON FUNCTIONS TO passage_service;

-- Outside an organisation's scope the server works as the owner did before (imports, sign-in,
-- statistics, rollups, maintenance): every row. Inside a scope passage_enter_scope switches to
-- passage_casework, whose policies (0004) hold it to the organisation; this policy does not
-- apply there. Without it row-level security would show the service role no row at all.
DO $$
DECLARE
    target regclass;
BEGIN
    FOR target IN
        SELECT c.oid::regclass FROM pg_class c
         WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND c.relrowsecurity
    LOOP
        IF NOT EXISTS (SELECT FROM pg_policy WHERE polrelid = target AND polname = 'service_outside_scope') THEN
            EXECUTE format('CREATE POLICY service_outside_scope ON %s TO passage_service USING (true) WITH CHECK (true)', target);
        END IF;
    END LOOP;
END $$;
