-- Blind indexes over persons' identifiers (issue 23, Docs/finding-persons.md): finding a person
-- before creating them, without any name, date or number in clear in the database.
--
-- The application computes, from the clear identifiers it has just sealed, normalised and
-- phonetic name keys, coarse date keys, the phone's and the documents' normal forms, and stores
-- only HMAC-SHA256 of each under a key derived from the personal-data key (never sent here):
-- 64 bits of it, as a bigint. Without that key a row says nothing about whom it indexes; with
-- it, candidate retrieval is an index lookup, and the application scores the (decrypted)
-- candidates itself.
--
-- The key does not depend on the organisation, so equal keys across organisations meet (the
-- cross-organisation duplicate check); rows carry the organisation for row-level security and
-- for the index. Written in the same transaction as the person's identifiers; a person's rows
-- go with the person (erasure, merge).
CREATE TABLE person_match_keys (
    person_id       bigint   NOT NULL REFERENCES persons(id) ON DELETE CASCADE,
    organisation_id bigint   NOT NULL REFERENCES organisations(id),
    kind            smallint NOT NULL CHECK (kind BETWEEN 1 AND 32),
    key             bigint   NOT NULL,
    PRIMARY KEY (person_id, kind, key)
);

-- Candidate retrieval: `key = ANY(…)` within one organisation (search), or outside it (the
-- cross-organisation check), answered from the index alone.
CREATE INDEX person_match_keys_by_key ON person_match_keys (key, organisation_id) INCLUDE (person_id);

ALTER TABLE person_match_keys ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_person_match_keys ON person_match_keys TO passage_casework
    USING (organisation_id = passage_scope()) WITH CHECK (organisation_id = passage_scope());
CREATE POLICY service_outside_scope ON person_match_keys TO passage_service USING (true) WITH CHECK (true);
GRANT SELECT, INSERT, UPDATE, DELETE ON person_match_keys TO passage_casework, passage_service;

-- A person that moves to another organisation (an accepted transfer) takes its rows along. As
-- the owner: the rows of the organisation left are no longer visible to the scope that moves it.
CREATE FUNCTION person_match_keys_follow_person() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
    UPDATE person_match_keys SET organisation_id = NEW.organisation_id WHERE person_id = NEW.id;
    RETURN NULL;
END $$;
CREATE TRIGGER person_match_keys_follow_person AFTER UPDATE OF organisation_id ON persons
    FOR EACH ROW WHEN (OLD.organisation_id IS DISTINCT FROM NEW.organisation_id)
    EXECUTE FUNCTION person_match_keys_follow_person();
