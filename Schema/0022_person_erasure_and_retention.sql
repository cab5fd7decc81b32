-- Retention and erasure by crypto-shredding (issue 24, Docs/case-life.md "Retention and erasure").
--
-- Each person's identifiers are sealed under a key of their own (format `pd2:`, naming the
-- entry of the keyring, a database apart from this one that holds the keys wrapped by the
-- personal-data key). Erasing a person marks them here and deletes their keyring entry; the
-- ciphertext stays and opens no more, here or in any backup. `key_destruction_pending` is set in
-- the erasing transaction and cleared once the keyring entry is gone: the reconciler finishes
-- what an interrupted erasure left (a crash between the two databases).
ALTER TABLE persons
    ADD COLUMN erased_at               timestamptz,
    ADD COLUMN erasure_reason          text CHECK (erasure_reason IN ('retention', 'request')),
    ADD COLUMN key_destruction_pending boolean NOT NULL DEFAULT false,
    ADD CONSTRAINT persons_erased_with_reason CHECK ((erased_at IS NULL) = (erasure_reason IS NULL));
CREATE INDEX persons_key_destruction_pending ON persons (id) WHERE key_destruction_pending;

-- How long an organisation keeps the persons of its closed cases, in months after closure;
-- NULL: no retention period (persons are erased on request only). `ORG RETENTION`.
ALTER TABLE organisations ADD COLUMN retention_months integer CHECK (retention_months BETWEEN 1 AND 1200);

-- Stored identifiers are either format: `pd1:` (under the personal-data key) or `pd2:` (under the
-- person's own key). NOT VALID as in 0012: `passage migrate` validates once no old value is left.
ALTER TABLE persons DROP CONSTRAINT IF EXISTS identifiers_sealed_by_application;
ALTER TABLE persons ADD CONSTRAINT identifiers_sealed_by_application
    CHECK (substring(identifiers FROM 1 FOR 4) IN ('\x7064313a'::bytea, '\x7064323a'::bytea)
           AND octet_length(identifiers) >= 32) NOT VALID;
ALTER TABLE referral_contacts DROP CONSTRAINT IF EXISTS identifiers_sealed_by_application;
ALTER TABLE referral_contacts ADD CONSTRAINT identifiers_sealed_by_application
    CHECK (substring(identifiers FROM 1 FOR 4) IN ('\x7064313a'::bytea, '\x7064323a'::bytea)
           AND octet_length(identifiers) >= 32) NOT VALID;

-- A closed case's needs stay unchanged (0019), but for erasure: setting a need's free-text note
-- to NULL and nothing else is allowed, so erasing a person needs no reopening.
CREATE OR REPLACE FUNCTION passage_closed_case_untouched() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND to_jsonb(NEW) ->> 'note' IS NULL
       AND (to_jsonb(NEW) - 'note') = (to_jsonb(OLD) - 'note') THEN
        RETURN NEW;
    END IF;
    IF EXISTS (SELECT 1 FROM cases c WHERE c.id = NEW.case_id AND c.closed_at IS NOT NULL) THEN
        RAISE EXCEPTION 'case % is closed; reopen it first (CASE REOPEN)', NEW.case_id USING ERRCODE = 'PC001';
    END IF;
    RETURN NEW;
END $$;
