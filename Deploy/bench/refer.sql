-- pgbench custom script: the statements one console REFER runs (Sources/PassageStore/Referrals/,
-- Scope/OrganisationScope.swift), in the same transaction shape: the referral and its event in
-- one statement with the snapshot of the person's sealed contact details, then its audit entry. The due time, computed in Swift from the priority's
-- response time, is computed here in SQL. Passage sends BEGIN and the scope with the look-up,
-- and the insert with the audit entry and the COMMIT, as pipelines; this script sends each statement on its own, as
-- pgbench does (refer.sh also runs a copy that sends them in the same two pipelines as Passage).
\set need :first + random(0, 19999)
\set k random(1, 1000000000000)
\set case 1
\set org 2
\set provider 1
\set receiving 3
BEGIN ISOLATION LEVEL READ COMMITTED;
SELECT passage_enter_scope(id) FROM organisations WHERE name = 'bench';
SELECT now(), c.id, (c.facts ->> 'age')::integer,
       n.case_id, n.code, n.status, n.priority,
       o.name, p.organisation_id, p.status, p.minimum_age, p.maximum_age,
       coalesce((SELECT array_agg(s.service ORDER BY s.service) FROM provider_services s
                   JOIN service_type_needs m ON m.service = s.service
                  WHERE s.provider_id = p.id AND m.need = split_part(n.code, '-', 1)), '{}'),
       coalesce((SELECT array_agg(s.service ORDER BY s.service) FROM provider_services s WHERE s.provider_id = p.id), '{}'),
       (SELECT array_agg(priority ORDER BY rank) FROM referral_priorities),
       (SELECT array_agg(((extract(epoch FROM response_time) * 1000000)::bigint)::text ORDER BY rank) FROM referral_priorities),
       e.id, e.case_id, e.need_id, e.provider_id, e.status, e.due_at, e.version, e.priority,
       (SELECT min(d.id) FROM referrals d WHERE d.need_id = n.id AND d.provider_id = p.id AND d.status IN ('pending', 'accepted'))
  FROM (SELECT 1) AS one
  LEFT JOIN cases c ON c.id = :case AND c.organisation_id = :org
  LEFT JOIN needs n ON n.id = :need AND n.organisation_id = :org
  LEFT JOIN providers p ON p.id = :provider
  LEFT JOIN organisations o ON o.id = p.organisation_id
  LEFT JOIN referrals e ON e.referring_organisation_id = :org AND e.idempotency_key = ('p' || :k::text);
WITH made AS (
    INSERT INTO referrals (case_id, need_id, provider_id, service, referring_organisation_id, receiving_organisation_id,
                           priority, consent, consent_override_by, consent_override_reason, caregiver_informed,
                           idempotency_key, created_by, due_at)
    VALUES (:case, :need, :provider, 'legal_assistance', :org, :receiving,
            'urgent', true, NULL, NULL, NULL,
            ('p' || :k::text), 'bench', now() + interval '72 hours')
    ON CONFLICT (referring_organisation_id, idempotency_key) DO NOTHING
    RETURNING id, created_at, due_at, version),
event AS (
    INSERT INTO referral_events (referral_id, at, actor, from_status, to_status, note)
    SELECT id, created_at, 'bench', NULL, 'pending', NULL FROM made),
contact AS (
    INSERT INTO referral_contacts (referral_id, organisation_id, identifiers)
    SELECT made.id, :org, p.identifiers
      FROM made, cases c JOIN persons p ON p.id = c.person_id
     WHERE c.id = :case AND c.organisation_id = :org AND true)
SELECT id, due_at, version FROM made;
SELECT audit_append('bench', 'referral.create', 'referral:' || id, '127.0.0.1:50000', 'case 1 need ' || :need::text || ' provider 1 urgent')
  FROM referrals WHERE id = (SELECT currval('referrals_id_seq'));
COMMIT;
