-- Anonymised statistics (issue 6): the role exports run under, and each user's privacy budget.

-- Exports run their counting query under this role (SET LOCAL ROLE inside the export's
-- transaction), so an aggregate can read only the counting columns, never a person's identifiers,
-- the case facts, the users or the audit log: checked by the database, not by our care with SQL.
-- Roles are cluster-wide while this migration runs once per database (tests make many databases in
-- one cluster, possibly at once), hence IF NOT EXISTS and the duplicate guard.
-- passage_statistics counts every organisation (policy staff, `passage export`);
-- passage_statistics_scoped, with the same privileges, is held by row-level security to the
-- organisation an analyst's export sets (see the policies at the end).
DO $$
DECLARE
    name text;
BEGIN
    FOREACH name IN ARRAY ARRAY['passage_statistics', 'passage_statistics_scoped'] LOOP
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = name) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN NOINHERIT', name);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL; -- another database's migration created it at the same moment
            END;
        END IF;
    END LOOP;
END
$$;

-- The migrating user (the one the server connects as) may switch to it.
DO $$
BEGIN
    IF NOT pg_has_role(current_user, 'passage_statistics', 'MEMBER') THEN
        EXECUTE format('GRANT passage_statistics TO %I', current_user);
    END IF;
    IF NOT pg_has_role(current_user, 'passage_statistics_scoped', 'MEMBER') THEN
        EXECUTE format('GRANT passage_statistics_scoped TO %I', current_user);
    END IF;
END
$$;

-- Only the stored counting columns: no facts, no ref, no person, no caseworker.
GRANT SELECT (id, organisation_id, primary_category, subcategory, sex, age_band, origin_country,
              current_country, current_area, created_at, record_key) ON cases TO passage_statistics, passage_statistics_scoped;
GRANT SELECT (id, case_id, organisation_id, code, status, identified_at, record_key) ON needs
    TO passage_statistics, passage_statistics_scoped;
GRANT SELECT (id, case_id, need_id, service, referring_organisation_id, receiving_organisation_id, status,
              outcome, created_at, record_key) ON referrals TO passage_statistics, passage_statistics_scoped;
GRANT SELECT ON need_codes, service_types, human_security_dimensions TO passage_statistics, passage_statistics_scoped;

-- Differential privacy on request spends a per-user budget: each export with dp=ε adds what it
-- spent, and an export that would pass the limit is refused. An administrator raises a limit by
-- updating the row (documented in Docs/anonymisation.md); spending is never undone.
CREATE TABLE privacy_budgets (
    user_name text PRIMARY KEY,
    budget    double precision NOT NULL DEFAULT 10 CHECK (budget >= 0),
    spent     double precision NOT NULL DEFAULT 0 CHECK (spent >= 0),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Row-level security (0004) denies every row to a role without a policy. The unscoped role reads
-- every row (a trivially true policy keeps a million-row count parallel: a policy calling a
-- function per row made it five times slower). The scoped role reads only the organisation an
-- analyst's export sets (`passage.organisation_id`, transaction-local): a second wall behind the
-- organisation the counting SQL names. Cases and needs of another organisation are visible through
-- a referral it received, so received referrals count.
CREATE POLICY statistics_cases ON cases FOR SELECT TO passage_statistics USING (true);
CREATE POLICY statistics_needs ON needs FOR SELECT TO passage_statistics USING (true);
CREATE POLICY statistics_referrals ON referrals FOR SELECT TO passage_statistics USING (true);
CREATE POLICY statistics_scoped_cases ON cases FOR SELECT TO passage_statistics_scoped
    USING (organisation_id = passage_scope()
           OR EXISTS (SELECT 1 FROM referrals r WHERE r.case_id = cases.id AND r.receiving_organisation_id = passage_scope()));
CREATE POLICY statistics_scoped_needs ON needs FOR SELECT TO passage_statistics_scoped
    USING (organisation_id = passage_scope()
           OR EXISTS (SELECT 1 FROM referrals r WHERE r.need_id = needs.id AND r.receiving_organisation_id = passage_scope()));
CREATE POLICY statistics_scoped_referrals ON referrals FOR SELECT TO passage_statistics_scoped
    USING (passage_scope() IN (referring_organisation_id, receiving_organisation_id));
