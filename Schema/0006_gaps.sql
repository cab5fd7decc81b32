-- Protection gaps at scale (issue 7; Docs/gaps.md, Docs/performance.md "GAPS").
--
-- The gap queries read every need or referral of every organisation: at a million cases that
-- is seconds, not the 50 ms a console answer should take. The common questions (each kind with
-- no breakdown or its default one, and by one of the usual dimensions) are therefore answered
-- from a rollup: the true counts and cell keys of every group, per organisation and over all
-- organisations, computed in one pass per kind and replaced whole by each refresh (`passage
-- serve` every --gaps-refresh minutes, `passage demo` after a load). Other questions (filters,
-- several dimensions, another days=) read the base tables. The rollup holds only counts and
-- keys, like every GAPS answer before disclosure control; it is never shown as it is.
CREATE TABLE gap_rollups (
    kind        text    NOT NULL CHECK (kind IN ('unmet', 'overdue', 'coverage', 'outcomes')),
    -- the organisation whose cases are counted; 0 for every organisation
    scope       bigint  NOT NULL,
    -- the by= dimensions, comma-separated, in order ('' for none)
    dimensions  text    NOT NULL,
    dim_values  text[]  NOT NULL,
    -- measure → [count, cell key]
    counts      jsonb   NOT NULL,
    -- median and 90th-percentile times, in hours
    figures     jsonb   NOT NULL DEFAULT '{}',
    -- coverage: active providers and their stated capacity (public registry facts)
    registry    jsonb   NOT NULL DEFAULT '{}'
);
CREATE INDEX gap_rollups_by_question ON gap_rollups (kind, scope, dimensions);

-- When the rollup was last computed, as of which time, for which days= (GAPS unmet), and what it cost.
CREATE TABLE gap_rollup_refreshes (
    id        bigserial PRIMARY KEY,
    as_of     timestamptz NOT NULL,
    days      integer NOT NULL,
    took      interval NOT NULL,
    row_count bigint NOT NULL
);

-- The base-table paths that remain: overdue referrals are few (pending past due), so they are
-- found through a partial index instead of a scan of every referral.
CREATE INDEX referrals_pending_by_due ON referrals (due_at) WHERE status = 'pending';
