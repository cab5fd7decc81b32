#!/usr/bin/env bash
# `passage reclassify` over N stored cases (default 1,000,000) decided by an earlier classifier
# version, while `passage serve` answers CASE SHOW on the same database: the run's wall time,
# and CASE SHOW's latency (p50/p95/p99) before and during the run. The anchor is psql running
# the same writes in one statement with no classification at all (each case's result moved to
# its history, the current result and version rewritten): what the database alone costs.
# The same data is loaded again before each side, so both start from N pending cases. With
# V1_PASSAGE=path/to/passage built from a commit before contract version 2 (e.g. 349390b), the
# stored results are the ones version 1 really gave, so the report's changes are real ones;
# without it every stored result is a placeholder ("unclassified").
source "$(dirname "$0")/common.sh"
cases=${CASES:-1000000}
dir=$(mktemp -d /tmp/rc-XXXXXX); port=7437
"$PASSAGE" migrate --data-dir "$dir" >/dev/null 2>&1
as_pg "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -o "-c listen_addresses='' -c unix_socket_directories='$dir'" -w start >/dev/null 2>&1 || true
url="host=$dir user=postgres dbname=passage"
export PASSAGE_PII_KEY="reclassify-benchmark-key-of-at-least-forty-characters"
pid=
trap '[ -n "$pid" ] && kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null; as_pg "$PGBIN/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1; rm -rf "$dir"' EXIT
psql_() { as_pg "$PGBIN/psql" -h "$dir" -U postgres -d passage -v ON_ERROR_STOP=1 -qAt "$@"; }
echo "bench-password-1" | "$PASSAGE" user add bench --role caseworker --password-stdin --database-url "$url" >/dev/null

# N cases of version-1 facts drawn over the paths the rules take (claims, flight from conflict
# into OAU and Cartagena states and elsewhere, displacement at home, work abroad, returnees),
# every one marked as decided by passage-classifier/1. setseed: the same data every run.
load() {
  psql_ -c "TRUNCATE classifications, cases RESTART IDENTITY CASCADE" -c "SELECT setseed(0.42)" -c "
  INSERT INTO cases (organisation_id, ref, caseworker, facts, classification, classifier_version, classified_by,
                     primary_category, categories, review)
  SELECT (SELECT id FROM organisations WHERE name = 'default'), 'r-' || g, 'bench',
         jsonb_strip_nulls(jsonb_build_object('ref', 'r-' || g, 'age', (random() * 80)::int,
             'nationality', nat, 'current_country', cur,
             'crossed_border', CASE WHEN random() < 0.7 THEN nat <> cur END,
             'left_home', random() < 0.9, 'forced', random() < 0.7,
             'causes', jsonb_build_array((ARRAY['persecution','armed_conflict','generalized_violence','natural_disaster','food_insecurity','work','study','foreign_domination'])[1 + (random() * 7)::int]),
             'persecution_grounds', CASE WHEN random() < 0.3 THEN '[\"political_opinion\"]'::jsonb END,
             'asylum', (ARRAY['none','none','intends','applied','recognized','rejected'])[1 + (random() * 5)::int],
             'employment', CASE WHEN random() < 0.3 THEN jsonb_build_object('status', 'engaged', 'skill_level', 1 + (random() * 3)::int,
                                                                           'authorized', random() < 0.5) END)),
         json_build_object('ref', 'r-' || g, 'primary', 'unclassified'), 'passage-classifier/1', 'bench', 'unclassified', '{}', true
    FROM generate_series(1, $cases) g,
         LATERAL (SELECT (ARRAY['SY','AF','VE','SS','UA','CD','NG','ML','CO','ET'])[1 + (random() * 9 + g * 0)::int] AS nat,
                         (ARRAY['DE','CM','NE','CO','KE','SS','SY','ET','UG','BR'])[1 + (random() * 9 + g * 0)::int] AS cur) places" >/dev/null
  if [ -n "${V1_PASSAGE:-}" ]; then
    # The stored results as version 1 really decided them: the facts through a passage built
    # from a commit before contract version 2, loaded back as each case's current result.
    psql_ -c "COPY (SELECT facts::text FROM cases ORDER BY id) TO STDOUT" >"$dir/facts.jsonl"
    "$V1_PASSAGE" classify "$dir/facts.jsonl" >"$dir/v1.jsonl"
    psql_ -c "CREATE TABLE v1_results (n bigserial, result text)"
    psql_ -c "COPY v1_results (result) FROM STDIN" <"$dir/v1.jsonl"
    psql_ -c "UPDATE cases c SET classification = r.result::json, primary_category = r.result::json->>'primary',
                     categories = ARRAY(SELECT json_array_elements_text(r.result::json->'categories')),
                     review = (r.result::json->>'review')::boolean
                FROM v1_results r WHERE c.id = r.n" -c "DROP TABLE v1_results" >/dev/null
  fi
  psql_ -c "VACUUM ANALYZE cases" -c "CHECKPOINT" >/dev/null
}
seconds() { python3 -c "import time,sys; print(f'{time.time()-float(sys.argv[1]):.2f}')" "$1"; }

load
"$PASSAGE" serve --database-url "$url" --port "$port" --gaps-refresh 0 >"$dir/serve.log" 2>&1 & pid=$!
wait_port "$port" "$pid"
show="CASE SHOW $((cases / 2))"
quiet=$("$PASSAGE_BENCH" latency --port "$port" --user bench --password bench-password-1 --command "$show" --seconds 20)

# The anchor: the same rows written by psql in one statement, no classification.
start=$(date +%s.%N)
psql_ -c "WITH old AS (SELECT id, version, classifier_version, classification, classified_by, classified_at FROM cases WHERE classifier_version <> 'passage-classifier/2' FOR UPDATE),
  superseded AS (INSERT INTO classifications (case_id, case_version, source, classifier_version, primary_category, result, decided_by, decided_at)
                 SELECT id, version, 'rule', classifier_version, coalesce(classification->>'primary', 'unclassified'), classification, classified_by, classified_at FROM old)
  UPDATE cases c SET classification = '{\"primary\":\"unclassified\"}'::json, classifier_version = 'passage-classifier/2', classified_by = 'psql',
         classified_at = now(), primary_category = c.primary_category, categories = c.categories, review = c.review
    FROM old WHERE c.id = old.id" >/dev/null
anchor=$(seconds "$start")

load
start=$(date +%s.%N)
"$PASSAGE" reclassify --database-url "$url" >"$dir/reclassify.txt" & rc=$!
"$PASSAGE_BENCH" latency --port "$port" --user bench --password bench-password-1 --command "$show" --seconds 600 --while-pid $rc >"$dir/during.txt"
wait $rc
took=$(seconds "$start")
history=$(psql_ -c "SELECT count(*) FROM classifications")
pending=$(psql_ -c "SELECT count(*) FROM cases WHERE classifier_version <> 'passage-classifier/2'")
echo "reclassify cases=$cases seconds=$took psql_same_writes_s=$anchor ratio=$(ratio "$took" "$anchor") history_rows=$history pending_after=$pending"
echo "case_show quiet: $quiet"
echo "case_show during reclassify: $(cat "$dir/during.txt")"
sed -n '/^reclassified/,$p' "$dir/reclassify.txt"
