-- After a transfer the old owner's closed referrals stay its record of its own work
-- (Docs/transfers.md), but the case is no longer its: until now referral_views joined the case
-- as it is now, so the old owner kept reading the new owner's age band, sex and language of the
-- person through them (Docs/security.md item 16). The referring side now sees the case's facts
-- only while the case is still its own; the receiving side (the provider) sees them as before.
-- The view runs with its owner's rights (row-level security on cases does not apply inside it),
-- hence the check here. Same columns, same order as 0010.
CREATE OR REPLACE VIEW referral_views WITH (security_barrier) AS
SELECT r.id,
       CASE WHEN r.referring_organisation_id = passage_scope() THEN r.case_id END AS case_id,
       r.need_id, r.provider_id, r.service, r.referring_organisation_id, r.receiving_organisation_id,
       r.priority, r.status, r.outcome, r.reason, r.consent, r.consent_override_by, r.consent_override_reason,
       r.caregiver_informed, r.created_by, r.created_at, r.due_at, r.accepted_at, r.closed_at, r.version, r.updated_at,
       n.code AS need_code,
       CASE WHEN c.organisation_id = r.referring_organisation_id OR passage_scope() = r.receiving_organisation_id
            THEN c.age_band END AS age_band,
       CASE WHEN c.organisation_id = r.referring_organisation_id OR passage_scope() = r.receiving_organisation_id
            THEN c.sex END AS sex,
       CASE WHEN c.organisation_id = r.referring_organisation_id OR passage_scope() = r.receiving_organisation_id
            THEN c.facts ->> 'language' END AS language,
       CASE WHEN r.consent AND r.status IN ('pending', 'accepted') THEN s.identifiers END AS contact
  FROM referrals r
  JOIN needs n ON n.id = r.need_id
  JOIN cases c ON c.id = r.case_id
  LEFT JOIN referral_contacts s ON s.referral_id = r.id
 WHERE passage_scope() IN (r.referring_organisation_id, r.receiving_organisation_id);
