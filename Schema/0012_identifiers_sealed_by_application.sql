-- Personal identifiers are sealed in the application (AES-256-GCM, PersonalDataCipher) from now
-- on: the database receives ciphertext only, never the personal-data key nor a clear name
-- (Docs/security.md "5. Secrets stay in the application"). Passwords likewise are hashed in the
-- application; their pgcrypto bcrypt hashes stay valid as they are.
--
-- Every stored value now has to start with the application's format marker `pd1:`. The
-- constraints are added NOT VALID: they hold for every row written from now on (a statement
-- that would write pgp_sym_encrypt ciphertext or clear text fails), while the rows sealed by
-- pgp_sym_encrypt before stay until `passage migrate` / `passage serve` re-seal them in the
-- application (LegacyIdentifierMigration, which cannot run in SQL: it needs the key) and then
-- validates the constraints.
ALTER TABLE persons ADD CONSTRAINT identifiers_sealed_by_application
    CHECK (substring(identifiers FROM 1 FOR 4) = '\x7064313a'::bytea AND octet_length(identifiers) >= 32) NOT VALID;

DO $$
BEGIN
    IF to_regclass('referral_contacts') IS NOT NULL THEN
        ALTER TABLE referral_contacts ADD CONSTRAINT identifiers_sealed_by_application
            CHECK (substring(identifiers FROM 1 FOR 4) = '\x7064313a'::bytea AND octet_length(identifiers) >= 32) NOT VALID;
    END IF;
END $$;
