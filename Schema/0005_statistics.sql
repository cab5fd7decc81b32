-- Anonymised statistics (issue 6): the role exports run under, and each user's privacy budget.

-- Exports run their counting query under this role (SET LOCAL ROLE inside the export's
-- transaction), so an aggregate can read only the counting columns, never a person's identifiers,
-- the case facts, the users or the audit log: checked by the database, not by our care with SQL.
-- Roles are cluster-wide while this migration runs once per database (tests make many databases in
-- one cluster, possibly at once), hence IF NOT EXISTS and the duplicate guard.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'passage_statistics') THEN
        BEGIN
            CREATE ROLE passage_statistics NOLOGIN NOINHERIT;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL; -- another database's migration created it at the same moment
        END;
    END IF;
END
$$;

-- The migrating user (the one the server connects as) may switch to it.
DO $$
BEGIN
    IF NOT pg_has_role(current_user, 'passage_statistics', 'MEMBER') THEN
        EXECUTE format('GRANT passage_statistics TO %I', current_user);
    END IF;
END
$$;

-- Only the stored counting columns: no facts, no ref, no person, no caseworker.
GRANT SELECT (id, organisation_id, primary_category, subcategory, sex, age_band, origin_country,
              current_country, current_area, created_at, record_key) ON cases TO passage_statistics;
GRANT SELECT (id, case_id, organisation_id, code, status, identified_at, record_key) ON needs TO passage_statistics;
GRANT SELECT (id, case_id, need_id, service, referring_organisation_id, receiving_organisation_id, status,
              outcome, created_at, record_key) ON referrals TO passage_statistics;
GRANT SELECT ON need_codes, service_types, human_security_dimensions TO passage_statistics;

-- Differential privacy on request spends a per-user budget: each export with dp=ε adds what it
-- spent, and an export that would pass the limit is refused. An administrator raises a limit by
-- updating the row (documented in Docs/anonymisation.md); spending is never undone.
CREATE TABLE privacy_budgets (
    user_name text PRIMARY KEY,
    budget    double precision NOT NULL DEFAULT 10 CHECK (budget >= 0),
    spent     double precision NOT NULL DEFAULT 0 CHECK (spent >= 0),
    updated_at timestamptz NOT NULL DEFAULT now()
);
