-- Releases (issue 17, Docs/anonymisation.md "Releases"). Every number STATS, `passage export`
-- and GAPS publish is read from a release: a frozen snapshot per release period (the period's
-- cutoff, UTC) and scope ('all' or 'organisation:<id>'), made at the first request after the
-- boundary, in that request's transaction, and audited (`stats.release`, `gaps.release`).

-- One row per table definition published in a release: which tables the release holds.
CREATE TABLE statistics_releases (
    release     timestamptz NOT NULL,
    scope       text NOT NULL,
    definition  text NOT NULL,
    cells       integer NOT NULL,
    epsilon     double precision NOT NULL DEFAULT 0,
    made_by     text NOT NULL,
    made_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, release, definition)
);

-- Each published cell's state in a release: the true count it was last published from and the
-- value published (NULL: suppressed). A cell is identified by its unit and its dimension values
-- (`ReleasedTable.identity`), so every table of a release shows one value per cell, and the next
-- release applies the threshold-update rule from it (`ReleaseRule`).
CREATE TABLE release_cells (
    scope     text NOT NULL,
    unit      text NOT NULL,
    cell      text NOT NULL,
    release   timestamptz NOT NULL,
    base      integer NOT NULL CHECK (base >= 0),
    value     integer CHECK (value IS NULL OR value >= 0),
    PRIMARY KEY (scope, unit, cell, release)
);

-- A GAPS answer (kind, breakdown, filters) frozen for a release and scope: the published rows
-- as JSON, so re-asking, and asking again in the same period after any change, reads the same.
CREATE TABLE gaps_releases (
    release   timestamptz NOT NULL,
    scope     text NOT NULL,
    question  text NOT NULL,
    answer    jsonb NOT NULL,
    made_by   text NOT NULL,
    made_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, release, question)
);

-- Differential privacy as an organisation's policy, set by an administrator
-- (`passage privacy-policy`, audited): ε per table and a budget per release, spent by all the
-- scope's analysts together. No row: no DP noise (the cell-key method alone).
CREATE TABLE privacy_policies (
    scope       text PRIMARY KEY,
    epsilon     double precision NOT NULL CHECK (epsilon >= 0.01 AND epsilon <= 10),
    budget      double precision NOT NULL CHECK (budget >= epsilon AND budget <= 1000),
    set_by      text NOT NULL,
    set_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE privacy_spending (
    scope     text NOT NULL,
    release   timestamptz NOT NULL,
    spent     double precision NOT NULL DEFAULT 0 CHECK (spent >= 0),
    PRIMARY KEY (scope, release)
);
