-- Releases as of their boundary, and microdata frozen per release (issue 17, Docs/anonymisation.md
-- "Releases" and "Microdata").
--
-- A release counts the rows recorded before its boundary (its cutoff) and takes their facts as
-- they stood at the boundary wherever a history is kept: a case's category from its
-- classification history (`classifications`), a referral's status, outcome and reason from its
-- events (`referral_events`). The two functions below read that history; the statistics roles
-- may call them but still cannot read the history tables (they return a category or a status,
-- nothing else). The facts that keep no history (a case's sex, age, origin and area; a need's
-- status) are read as they stand when the release is made, which is then frozen.

-- The category in force for case `p_case` at `p_at`, and its subcategory: the latest override
-- decided before `p_at` if any (an override stays in force until another one), else the rule
-- result in force then (the latest decided before `p_at`, superseded ones included). A case with
-- no classification before `p_at` (recorded with a back-dated time) reads as it stands.
CREATE FUNCTION passage_classification_at(p_case bigint, p_at timestamptz) RETURNS text[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    WITH rule AS (
        SELECT r.result FROM (
            SELECT h.result::jsonb AS result, h.decided_at, h.id FROM classifications h
             WHERE h.case_id = p_case AND h.source = 'rule' AND h.decided_at < p_at
            UNION ALL
            SELECT c.classification::jsonb, c.classified_at, 9223372036854775807 FROM cases c
             WHERE c.id = p_case AND c.classified_at < p_at) r
         ORDER BY r.decided_at DESC, r.id DESC LIMIT 1),
    override AS (
        SELECT h.primary_category FROM classifications h
         WHERE h.case_id = p_case AND h.source = 'override' AND h.decided_at < p_at
         ORDER BY h.decided_at DESC, h.id DESC LIMIT 1),
    chosen AS (
        SELECT coalesce((SELECT primary_category FROM override), (SELECT result ->> 'primary' FROM rule)) AS category)
    SELECT CASE WHEN chosen.category IS NULL THEN ARRAY[c.primary_category, c.subcategory]
                ELSE ARRAY[chosen.category, (SELECT result -> 'subcategories' ->> chosen.category FROM rule)] END
      FROM cases c, chosen
     WHERE c.id = p_case
$$;

-- The status of referral `p_referral` at `p_at`: the state its last event before then moved it
-- to (referrals without events read as they stand).
CREATE FUNCTION passage_referral_status_at(p_referral bigint, p_at timestamptz) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT coalesce((SELECT e.to_status FROM referral_events e WHERE e.referral_id = p_referral AND e.at < p_at
                      ORDER BY e.at DESC, e.id DESC LIMIT 1),
                    (SELECT r.status FROM referrals r WHERE r.id = p_referral))
$$;

REVOKE EXECUTE ON FUNCTION passage_classification_at(bigint, timestamptz), passage_referral_status_at(bigint, timestamptz) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION passage_classification_at(bigint, timestamptz), passage_referral_status_at(bigint, timestamptz)
    TO passage_statistics, passage_statistics_scoped;
-- When a row last changed: only rows changed since the boundary need their history read.
GRANT SELECT (updated_at, classified_at) ON cases TO passage_statistics, passage_statistics_scoped;
GRANT SELECT (updated_at) ON referrals TO passage_statistics, passage_statistics_scoped;

-- Anonymised microdata frozen per release: made once, at the first `passage export --microdata`
-- of a definition (k, l, window) and scope in the release period, from the rows recorded before
-- the boundary; every later request of the period reads these rows, byte for byte, with the risk
-- report they were published under. A refusal (risk above the threshold) is frozen too, so an
-- edit cannot turn it into a file within the period.
CREATE TABLE microdata_releases (
    release           timestamptz NOT NULL,
    scope             text NOT NULL,
    definition        text NOT NULL,
    -- The file as published (columns, rows, generalisation levels, protections with the risk
    -- report), JSON; empty for a refusal.
    body              text NOT NULL,
    records           integer NOT NULL CHECK (records >= 0),
    global_risk       double precision,
    k                 integer NOT NULL,
    l_diversity       integer,
    suppressed_values integer NOT NULL DEFAULT 0,
    dropped_records   integer NOT NULL DEFAULT 0,
    refusal           text,
    made_by           text NOT NULL,
    made_at           timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, release, definition)
);
