-- Cases, the people behind them, and the classification history.

-- Personal identifiers (names, date of birth, phone, document numbers) live apart from the
-- facts, encrypted with pgp_sym_encrypt under a key the server process holds (never stored in
-- the database, never logged). Facts and statistics never need them, so analysts' exports and
-- most queries never touch this table.
CREATE TABLE persons (
    id              bigserial PRIMARY KEY,
    organisation_id bigint NOT NULL REFERENCES organisations(id),
    identifiers     bytea  NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- One case: the facts in the case-facts vocabulary (canonical JSON), the current rule result,
-- and a version for optimistic concurrency (a write names the version it read).
CREATE TABLE cases (
    id                 bigserial PRIMARY KEY,
    organisation_id    bigint  NOT NULL REFERENCES organisations(id),
    person_id          bigint  REFERENCES persons(id),
    ref                text    NOT NULL CHECK (length(ref) BETWEEN 1 AND 64),
    caseworker         text    NOT NULL,
    facts              jsonb   NOT NULL,
    version            integer NOT NULL DEFAULT 1 CHECK (version >= 1),
    -- The rule result of the current facts: the contract's section-4 line, kept as json (not
    -- jsonb) so it is returned byte for byte as the classifier wrote it ...
    classification     json    NOT NULL,
    -- ... which classifier produced it, for whom and when ...
    classifier_version text    NOT NULL,
    classified_by      text    NOT NULL,
    classified_at      timestamptz NOT NULL DEFAULT now(),
    -- ... and the category in force: the rule's primary, or the latest supervisor override.
    primary_category   text    NOT NULL CHECK (primary_category IN ('trafficked', 'refugee_asylum', 'idp', 'migrant_worker', 'unclassified')),
    categories         text[]  NOT NULL,
    review             boolean NOT NULL,
    overridden         boolean NOT NULL DEFAULT false,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    -- A reference names one case within its organisation, so a re-sent import or a retried
    -- CASE NEW cannot create the same case twice.
    UNIQUE (organisation_id, ref)
);

CREATE INDEX cases_by_organisation_category ON cases (organisation_id, primary_category, id);
CREATE INDEX cases_needing_review ON cases (organisation_id, id) WHERE review;

-- Every classification a case had before its current one: each superseded rule result (with
-- the classifier version that produced it) and each supervisor override with its reason. Rows
-- are only ever added, so an override never hides what the rules said. The full history of a
-- case is these rows plus the current result held in `cases`; keeping the current result only
-- there lets a bulk import write one row per case.
CREATE TABLE classifications (
    id                 bigserial PRIMARY KEY,
    case_id            bigint  NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
    case_version       integer NOT NULL,
    source             text    NOT NULL CHECK (source IN ('rule', 'override')),
    classifier_version text,
    primary_category   text    NOT NULL,
    result             json,
    reason             text,
    decided_by         text    NOT NULL,
    decided_at         timestamptz NOT NULL DEFAULT now(),
    CHECK (source = 'rule' AND classifier_version IS NOT NULL AND result IS NOT NULL
        OR source = 'override' AND reason IS NOT NULL AND length(reason) > 0)
);

CREATE INDEX classifications_by_case ON classifications (case_id, id);
