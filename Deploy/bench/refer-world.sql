-- The world of the REFER benchmarks (refer.sh, http.sh, session-check.sh): organisation 'bench' with
-- one case of :needs open needs (psql -v needs=N; each request refers another), its person, and one active provider
-- offering legal assistance for them.
INSERT INTO organisations (name) VALUES ('bench-provider');
INSERT INTO providers (organisation_id) SELECT id FROM organisations WHERE name = 'bench-provider';
INSERT INTO provider_services VALUES (1, 'legal_assistance');
INSERT INTO provider_areas VALUES (1, 'CO-ANT');
INSERT INTO cases (organisation_id, ref, caseworker, facts, classification, classifier_version, classified_by, primary_category, categories, review)
SELECT id, 'bench-1', 'bench', '{"ref":"bench-1","age":30,"current_country":"CO"}', '{}', 'bench', 'bench', 'unclassified', '{}', false
  FROM organisations WHERE name = 'bench';
-- The person behind the case, so every REFER also snapshots their sealed contact details
-- (referral_contacts): opaque bytes in the application's sealed format, never opened here.
INSERT INTO persons (organisation_id, identifiers)
SELECT id, '\x7064313a'::bytea || decode(repeat('ab', 120), 'hex') FROM organisations WHERE name = 'bench';
UPDATE cases SET person_id = (SELECT max(id) FROM persons) WHERE id = 1;
INSERT INTO needs (case_id, organisation_id, code, priority, identified_by)
SELECT 1, organisation_id, 'LP', 'urgent', 'bench' FROM cases, generate_series(1, :needs) WHERE id = 1;
VACUUM ANALYZE;
