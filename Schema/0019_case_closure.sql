-- Closure and reopening of a case (issue 24, Docs/case-life.md).
--
-- A case is closed with a reason code from `case_closure_reasons`; while it is closed it is
-- read-only: the triggers below refuse a change of its facts, owner or person, an override,
-- and any new or changed need or referral (SQLSTATE PC001, which the services report as a
-- conflict, 551). Only reopening (clearing `closed_at`) changes it again. Every closing and
-- reopening is a row of `case_closures`, the case's life history, beside its audit entry.
CREATE TABLE case_closure_reasons (
    code    text PRIMARY KEY CHECK (code ~ '^[a-z_]{1,64}$'),
    meaning text NOT NULL
);
INSERT INTO case_closure_reasons (code, meaning) VALUES
    ('durable_solution', 'a durable solution was reached (return, local integration, resettlement)'),
    ('moved', 'the person moved out of reach of the organisation'),
    ('deceased', 'the person died'),
    ('no_longer_in_need', 'the person no longer needs protection services'),
    ('duplicate', 'the case duplicates another case'),
    ('lost_contact', 'contact with the person was lost');

-- Whether a caseworker may close a case alone, or a supervisor must (`passage closure-policy`).
ALTER TABLE organisations ADD COLUMN closure_needs_supervisor boolean NOT NULL DEFAULT false;

ALTER TABLE cases
    ADD COLUMN closed_at      timestamptz,
    ADD COLUMN closure_reason text REFERENCES case_closure_reasons(code),
    ADD CONSTRAINT cases_closed_with_reason CHECK ((closed_at IS NULL) = (closure_reason IS NULL));

-- Each closing and reopening, oldest first by id. `carried_forward` lists the needs left open
-- on purpose at closure: they stay open on the closed case and are worked on again when it reopens.
CREATE TABLE case_closures (
    id              bigserial PRIMARY KEY,
    case_id         bigint  NOT NULL REFERENCES cases(id),
    event           text    NOT NULL CHECK (event IN ('closed', 'reopened')),
    reason          text    REFERENCES case_closure_reasons(code),
    carried_forward bigint[] NOT NULL DEFAULT '{}',
    decided_by      text    NOT NULL,
    decided_role    text    NOT NULL,
    at              timestamptz NOT NULL DEFAULT now(),
    CHECK ((event = 'closed') = (reason IS NOT NULL))
);
CREATE INDEX case_closures_by_case ON case_closures (case_id, id);

ALTER TABLE case_closures ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_case_closures ON case_closures TO passage_casework
    USING (EXISTS (SELECT 1 FROM cases c WHERE c.id = case_id))
    WITH CHECK (EXISTS (SELECT 1 FROM cases c WHERE c.id = case_id));
CREATE POLICY service_outside_scope ON case_closures TO passage_service USING (true) WITH CHECK (true);
GRANT SELECT, INSERT ON case_closures TO passage_casework, passage_service;
GRANT USAGE, SELECT ON SEQUENCE case_closures_id_seq TO passage_casework, passage_service;
GRANT SELECT ON case_closure_reasons TO passage_casework, passage_service;

-- A closed case's facts, owner, person and version stay as they were; reclassification under a
-- new classifier (which touches only the classification columns) still runs over it.
CREATE FUNCTION passage_closed_case_unchanged() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.closed_at IS NOT NULL AND NEW.closed_at IS NOT NULL
       AND (NEW.facts IS DISTINCT FROM OLD.facts OR NEW.ref IS DISTINCT FROM OLD.ref
            OR NEW.organisation_id IS DISTINCT FROM OLD.organisation_id
            OR NEW.person_id IS DISTINCT FROM OLD.person_id OR NEW.version IS DISTINCT FROM OLD.version
            OR NEW.overridden IS DISTINCT FROM OLD.overridden
            OR (NEW.overridden AND NEW.primary_category IS DISTINCT FROM OLD.primary_category)) THEN
        RAISE EXCEPTION 'case % is closed; reopen it first (CASE REOPEN)', OLD.id USING ERRCODE = 'PC001';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER closed_case_unchanged BEFORE UPDATE ON cases
    FOR EACH ROW EXECUTE FUNCTION passage_closed_case_unchanged();

-- Needs, referrals and overrides of a closed case: none added or changed.
CREATE FUNCTION passage_closed_case_untouched() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM cases c WHERE c.id = NEW.case_id AND c.closed_at IS NOT NULL) THEN
        RAISE EXCEPTION 'case % is closed; reopen it first (CASE REOPEN)', NEW.case_id USING ERRCODE = 'PC001';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER closed_case_needs BEFORE INSERT OR UPDATE ON needs
    FOR EACH ROW EXECUTE FUNCTION passage_closed_case_untouched();
CREATE TRIGGER closed_case_referrals BEFORE INSERT ON referrals
    FOR EACH ROW EXECUTE FUNCTION passage_closed_case_untouched();
CREATE TRIGGER closed_case_overrides BEFORE INSERT ON classifications
    FOR EACH ROW WHEN (NEW.source = 'override') EXECUTE FUNCTION passage_closed_case_untouched();
