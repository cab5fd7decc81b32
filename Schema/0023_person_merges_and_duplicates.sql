-- Merging and unmerging person records, and candidate duplicate pairs (issue 23,
-- Docs/finding-persons.md "Merge and unmerge", "Candidate pairs", "Duplicates across organisations").

-- A person merged into another keeps its row and its own sealed identifiers; its cases point to
-- the survivor until the merge is undone. A merge changes nothing else (no case version, no
-- updated_at), so an unmerge gives back the rows as they were, byte for byte.
ALTER TABLE persons ADD COLUMN merged_into bigint REFERENCES persons(id);

-- Each merge: who survives, who was merged away, and exactly which cases moved (the record an
-- unmerge restores from). Undone merges stay, with who undid them and when.
CREATE TABLE person_merges (
    id              bigserial PRIMARY KEY,
    organisation_id bigint   NOT NULL REFERENCES organisations(id),
    survivor_id     bigint   NOT NULL REFERENCES persons(id),
    merged_id       bigint   NOT NULL REFERENCES persons(id),
    -- the cases of the merged person that were moved to the survivor (their ids, ascending)
    moved_cases     bigint[] NOT NULL,
    -- the case each person was named by (the console never shows person ids)
    survivor_case   bigint   NOT NULL REFERENCES cases(id),
    merged_case     bigint   NOT NULL REFERENCES cases(id),
    merged_by       text     NOT NULL,
    merged_at       timestamptz NOT NULL DEFAULT now(),
    unmerged_by     text,
    unmerged_at     timestamptz,
    CHECK (survivor_id <> merged_id),
    CHECK ((unmerged_by IS NULL) = (unmerged_at IS NULL))
);
-- A person is merged away at most once at a time.
CREATE UNIQUE INDEX person_merges_in_force ON person_merges (merged_id) WHERE unmerged_at IS NULL;
CREATE INDEX person_merges_by_organisation ON person_merges (organisation_id, id);

ALTER TABLE person_merges ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_person_merges ON person_merges TO passage_casework
    USING (organisation_id = passage_scope()) WITH CHECK (organisation_id = passage_scope());
CREATE POLICY service_outside_scope ON person_merges TO passage_service USING (true) WITH CHECK (true);
GRANT SELECT, INSERT, UPDATE ON person_merges TO passage_casework, passage_service;
GRANT USAGE, SELECT ON SEQUENCE person_merges_id_seq TO passage_casework, passage_service;

-- A candidate duplicate: two persons that probably are one, found when a person is registered,
-- within one organisation (a = b) or across two. The pair row holds only what both sides may
-- know: the two organisations, each side's decision, the status, and — once both confirmed —
-- the linked cases. Everything about a side's own person (which person, which case, the score)
-- is in that side's half, `duplicate_pair_sides`, which row-level security shows to its own
-- organisation only.
CREATE TABLE duplicate_pairs (
    id              bigserial PRIMARY KEY,
    -- the organisation whose registration found the pair, and the organisation of the other person
    organisation_a  bigint NOT NULL REFERENCES organisations(id),
    organisation_b  bigint NOT NULL REFERENCES organisations(id),
    status          text   NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'confirmed', 'rejected')),
    decision_a      text   CHECK (decision_a IN ('confirmed', 'rejected')),
    decision_b      text   CHECK (decision_b IN ('confirmed', 'rejected')),
    -- set when both sides confirmed a pair across organisations: the cases it links
    linked_case_a   bigint REFERENCES cases(id),
    linked_case_b   bigint REFERENCES cases(id),
    found_at        timestamptz NOT NULL DEFAULT now(),
    decided_at      timestamptz,
    CHECK ((status = 'new') = (decided_at IS NULL)),
    CHECK ((linked_case_a IS NULL) = (linked_case_b IS NULL)),
    CHECK (linked_case_a IS NULL OR (status = 'confirmed' AND organisation_a <> organisation_b))
);
CREATE INDEX duplicate_pairs_by_a ON duplicate_pairs (organisation_a, status, id);
CREATE INDEX duplicate_pairs_by_b ON duplicate_pairs (organisation_b, status, id);

CREATE TABLE duplicate_pair_sides (
    pair_id         bigint NOT NULL REFERENCES duplicate_pairs(id),
    side            text   NOT NULL CHECK (side IN ('a', 'b')),
    organisation_id bigint NOT NULL REFERENCES organisations(id),
    person_id       bigint NOT NULL REFERENCES persons(id),
    -- the case the person was found by (the console names persons by a case)
    case_id         bigint NOT NULL REFERENCES cases(id),
    -- the matching score as this side's scoring computed it
    score           double precision NOT NULL CHECK (score >= 0),
    decided_by      text,
    decided_at      timestamptz,
    PRIMARY KEY (pair_id, side)
);
-- A person's pairs (a second registration of the same two persons is not a new pair).
CREATE INDEX duplicate_pair_sides_by_person ON duplicate_pair_sides (person_id, pair_id);
CREATE INDEX duplicate_pair_sides_by_organisation ON duplicate_pair_sides (organisation_id, pair_id);

ALTER TABLE duplicate_pairs ENABLE ROW LEVEL SECURITY;
ALTER TABLE duplicate_pair_sides ENABLE ROW LEVEL SECURITY;
-- Each organisation sees the pairs it is a party to, and of their halves only its own.
CREATE POLICY either_side_pairs ON duplicate_pairs TO passage_casework
    USING (passage_scope() IN (organisation_a, organisation_b))
    WITH CHECK (passage_scope() IN (organisation_a, organisation_b));
CREATE POLICY own_half ON duplicate_pair_sides TO passage_casework
    USING (organisation_id = passage_scope()) WITH CHECK (organisation_id = passage_scope());
CREATE POLICY service_outside_scope ON duplicate_pairs TO passage_service USING (true) WITH CHECK (true);
CREATE POLICY service_outside_scope ON duplicate_pair_sides TO passage_service USING (true) WITH CHECK (true);
GRANT SELECT, INSERT, UPDATE ON duplicate_pairs, duplicate_pair_sides TO passage_casework, passage_service;
GRANT USAGE, SELECT ON SEQUENCE duplicate_pairs_id_seq TO passage_casework, passage_service;
