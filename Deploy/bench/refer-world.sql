-- The world of the REFER benchmarks (refer.sh, http.sh, session-check.sh, cost-curve.sh): organisation 'bench'
-- with one case of :needs open needs (psql -v needs=N; each request refers another), its person, and one
-- active provider offering legal assistance for them. Rows are found by name, not by id, so the world can be
-- added to a database that already holds others (cost-curve.sh adds it to a demo population); on an empty
-- database the ids are those refer.sql names (case 1, organisation 2, provider 1, receiving organisation 3).
INSERT INTO organisations (name) VALUES ('bench-provider');
INSERT INTO providers (organisation_id) SELECT id FROM organisations WHERE name = 'bench-provider';
INSERT INTO provider_services (provider_id, service)
SELECT p.id, 'legal_assistance' FROM providers p JOIN organisations o ON o.id = p.organisation_id WHERE o.name = 'bench-provider';
INSERT INTO provider_areas (provider_id, area)
SELECT p.id, 'CO-ANT' FROM providers p JOIN organisations o ON o.id = p.organisation_id WHERE o.name = 'bench-provider';
INSERT INTO cases (organisation_id, ref, caseworker, facts, classification, classifier_version, classified_by, primary_category, categories, review)
SELECT id, 'bench-1', 'bench', '{"ref":"bench-1","age":30,"current_country":"CO"}', '{}', 'bench', 'bench', 'unclassified', '{}', false
  FROM organisations WHERE name = 'bench';
-- The person behind the case, so every REFER also snapshots their sealed contact details
-- (referral_contacts): opaque bytes in the application's sealed format, never opened here.
INSERT INTO persons (organisation_id, identifiers)
SELECT id, '\x7064313a'::bytea || decode(repeat('ab', 120), 'hex') FROM organisations WHERE name = 'bench';
UPDATE cases SET person_id = (SELECT max(id) FROM persons)
 WHERE ref = 'bench-1' AND organisation_id = (SELECT id FROM organisations WHERE name = 'bench');
INSERT INTO needs (case_id, organisation_id, code, priority, identified_by)
SELECT c.id, c.organisation_id, 'LP', 'urgent', 'bench'
  FROM cases c, generate_series(1, :needs)
 WHERE c.ref = 'bench-1' AND c.organisation_id = (SELECT id FROM organisations WHERE name = 'bench');
-- Statistics for the planner (and hint bits, visibility): the whole database, small in the REFER benchmarks;
-- with -v analyze_only=1 (cost-curve.sh: a demo population of up to ten million cases beside it) only
-- statistics of the tables the world changed.
\if :{?analyze_only}
ANALYZE organisations;
ANALYZE providers;
ANALYZE provider_services;
ANALYZE cases;
ANALYZE persons;
ANALYZE needs;
\else
VACUUM ANALYZE;
\endif
