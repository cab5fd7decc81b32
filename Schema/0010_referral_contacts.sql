-- What a provider sees of a person (Docs/referrals.md "What the provider sees", Docs/security.md
-- "8. What providers see").
--
-- Until now referral_views showed either side the person's *current* identifiers whenever the
-- person had consented, whatever the referral's state: a provider kept reading the name and
-- phone on referrals it had declined or that were cancelled, including details recorded after
-- the consent. Now REFER takes a snapshot of the identifiers as they are at that moment (the
-- ciphertext itself, under the same personal-data key: no decryption at REFER), in the same
-- statement as the referral; the view shows it only while the referral is open (pending or
-- accepted), and closing the referral (declined, cancelled, completed) deletes it. The console
-- shows the provider only the names and phone of the snapshot (ReferralStore.show).

CREATE TABLE referral_contacts (
    referral_id     bigint PRIMARY KEY REFERENCES referrals(id) ON DELETE CASCADE,
    -- the referring organisation: the person is its case's
    organisation_id bigint NOT NULL,
    -- persons.identifiers as they were when consent was given (pgp_sym_encrypt ciphertext)
    identifiers     bytea  NOT NULL,
    taken_at        timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE referral_contacts ENABLE ROW LEVEL SECURITY;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'passage_casework') THEN
        -- Written by the referring side (REFER, in its scope); read by either side only through
        -- referral_views, which runs with its owner's rights.
        CREATE POLICY referring_side_contacts ON referral_contacts TO passage_casework
            USING (organisation_id = passage_scope()) WITH CHECK (organisation_id = passage_scope());
        GRANT SELECT, INSERT ON referral_contacts TO passage_casework;
    END IF;
END $$;

-- Open referrals of consenting persons keep what they showed until now, as it is at this
-- migration (the best snapshot there is); closed referrals get none.
INSERT INTO referral_contacts (referral_id, organisation_id, identifiers)
SELECT r.id, r.referring_organisation_id, p.identifiers
  FROM referrals r
  JOIN cases c ON c.id = r.case_id
  JOIN persons p ON p.id = c.person_id
 WHERE r.consent AND r.status IN ('pending', 'accepted');

-- A referral that closes forgets its snapshot. SECURITY DEFINER: the provider's side declines
-- or completes, and may not touch the referring side's rows itself.
CREATE FUNCTION referral_contact_forget() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    DELETE FROM referral_contacts WHERE referral_id = NEW.id;
    RETURN NULL;
END $$;

CREATE TRIGGER referral_contact_forget AFTER UPDATE OF status ON referrals
    FOR EACH ROW WHEN (NEW.status NOT IN ('pending', 'accepted')) EXECUTE FUNCTION referral_contact_forget();

-- The view's contact: the snapshot, only while the referral is open (the state check stands
-- even if a snapshot were left behind).
CREATE OR REPLACE VIEW referral_views WITH (security_barrier) AS
SELECT r.id,
       CASE WHEN r.referring_organisation_id = passage_scope() THEN r.case_id END AS case_id,
       r.need_id, r.provider_id, r.service, r.referring_organisation_id, r.receiving_organisation_id,
       r.priority, r.status, r.outcome, r.reason, r.consent, r.consent_override_by, r.consent_override_reason,
       r.caregiver_informed, r.created_by, r.created_at, r.due_at, r.accepted_at, r.closed_at, r.version, r.updated_at,
       n.code AS need_code, c.age_band, c.sex, c.facts ->> 'language' AS language,
       CASE WHEN r.consent AND r.status IN ('pending', 'accepted') THEN s.identifiers END AS contact
  FROM referrals r
  JOIN needs n ON n.id = r.need_id
  JOIN cases c ON c.id = r.case_id
  LEFT JOIN referral_contacts s ON s.referral_id = r.id
 WHERE passage_scope() IN (r.referring_organisation_id, r.receiving_organisation_id);
