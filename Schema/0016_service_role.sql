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
-- What 0004 once skipped in such a database is made here, first.

-- A database migrated (before this migration) by a role that could not create roles went
-- without 0004's row-level security: no policies, no grants for passage_casework, and once the
-- role existed every casework command failed with SQLSTATE 42501. Now that the role exists
-- (`passage migrate` refuses to come this far otherwise), what 0004 skipped is made here as it
-- would have made it; 0007, 0010 and 0015's adjustments are repeated so the result is the same.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'passage_casework') THEN
        RAISE EXCEPTION 'role passage_casework does not exist and % may not create it', current_user
            USING ERRCODE = 'insufficient_privilege',
                  HINT = format('as a superuser: CREATE ROLE passage_casework NOLOGIN; GRANT passage_casework TO %I (Deploy/external/setup.sql)', current_user);
    END IF;
    IF NOT EXISTS (SELECT FROM pg_policy WHERE polname = 'own_cases' AND polrelid = 'cases'::regclass) THEN
        RAISE NOTICE 'row-level security of migration 0004 was skipped in this database: making it now';
        IF NOT pg_has_role(current_user, 'passage_casework', 'MEMBER') THEN
            EXECUTE format('GRANT passage_casework TO %I', current_user);
        END IF;
        GRANT USAGE ON SCHEMA public TO passage_casework;
        GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO passage_casework;
        GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO passage_casework;
        ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO passage_casework;
        ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO passage_casework;
        REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON audit_log FROM passage_casework;
        REVOKE ALL ON audit_chain_head, api_sessions FROM passage_casework;
        REVOKE ALL ON SEQUENCE api_sessions_id_seq FROM passage_casework;
        GRANT EXECUTE ON FUNCTION audit_append(text, text, text, text, text) TO passage_casework;
        CREATE POLICY own_cases ON cases TO passage_casework
            USING (organisation_id = passage_scope()) WITH CHECK (organisation_id = passage_scope());
        CREATE POLICY own_persons ON persons TO passage_casework
            USING (organisation_id = passage_scope()) WITH CHECK (organisation_id = passage_scope());
        CREATE POLICY own_classifications ON classifications TO passage_casework
            USING (EXISTS (SELECT 1 FROM cases c WHERE c.id = case_id))
            WITH CHECK (EXISTS (SELECT 1 FROM cases c WHERE c.id = case_id));
        CREATE POLICY own_needs ON needs TO passage_casework
            USING (organisation_id = passage_scope()) WITH CHECK (organisation_id = passage_scope());
        CREATE POLICY either_side_referrals ON referrals TO passage_casework
            USING (passage_scope() IN (referring_organisation_id, receiving_organisation_id))
            WITH CHECK (passage_scope() IN (referring_organisation_id, receiving_organisation_id));
        CREATE POLICY either_side_referral_events ON referral_events TO passage_casework
            USING (EXISTS (SELECT 1 FROM referrals r WHERE r.id = referral_id))
            WITH CHECK (actor_organisation_id = passage_scope());
        IF NOT EXISTS (SELECT FROM pg_policy WHERE polname = 'referring_side_contacts') THEN
            CREATE POLICY referring_side_contacts ON referral_contacts TO passage_casework
                USING (organisation_id = passage_scope()) WITH CHECK (organisation_id = passage_scope());
        END IF;
    END IF;
END $$;

DO $$
BEGIN
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
