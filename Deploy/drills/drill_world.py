"""The REFER drills' world (failover and replica drills): one case with many urgent needs and a
provider of legal assistance in CO-ANT, made straight in SQL so that the drill needs no demo data.
The organisation 'drill' (its caseworker added with `passage user add`) must exist."""

WORLD_SQL = """
    WITH org AS (SELECT id FROM organisations WHERE name = 'drill'),
         porg AS (INSERT INTO organisations (name) VALUES ('drill-provider-%(run)s') RETURNING id),
         prov AS (INSERT INTO providers (organisation_id) SELECT id FROM porg RETURNING id),
         svc AS (INSERT INTO provider_services SELECT id, 'legal_assistance' FROM prov),
         area AS (INSERT INTO provider_areas SELECT id, 'CO-ANT' FROM prov),
         c AS (INSERT INTO cases (organisation_id, ref, caseworker, facts, classification, classifier_version,
                                  classified_by, primary_category, categories, review)
               SELECT id, '%(drill)s-%(run)s', 'drill', '{"ref":"%(drill)s","age":30,"current_country":"CO"}', '{}',
                      'drill', 'drill', 'unclassified', '{}', false FROM org RETURNING id, organisation_id),
         n AS (INSERT INTO needs (case_id, organisation_id, code, priority, identified_by)
               SELECT c.id, c.organisation_id, 'LP', 'urgent', 'drill' FROM c, generate_series(1, %(needs)d) RETURNING id)
    SELECT (SELECT id FROM c), (SELECT id FROM prov), (SELECT min(id) FROM n), (SELECT max(id) FROM n);
"""


def make_world(sql, drill, run_id, needs):
    """Makes the world with `sql` (the drill's psql runner, answering 'a|b|c|d'); `drill` names
    the case reference ('failover', 'replica'). Returns the ids the REFER clients need."""
    case_id, provider_id, first_need, last_need = map(
        int, sql(WORLD_SQL % {"drill": drill, "run": run_id, "needs": needs}).split("|"))
    return {"case": case_id, "provider": provider_id, "first_need": first_need, "last_need": last_need}
