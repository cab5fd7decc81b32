#!/usr/bin/env bash
# `passage export --by category,origin,age_band` (disclosure control: cell keys, suppression,
# full cross product, audit, statistics role) over N cases (default 1,000,000) vs psql running
# the equivalent GROUP BY with COPY … TO STDOUT (FORMAT csv) and no protection. Same cluster,
# same run, five alternating rounds, medians. Both are whole processes: connect, count, write.
source "$(dirname "$0")/common.sh"
cases=${CASES:-1000000}
dir=$(mktemp -d /tmp/st-XXXXXX)
"$PASSAGE" migrate --data-dir "$dir" >/dev/null 2>&1
trap 'as_pg "$PGBIN/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1; rm -rf "$dir"' EXIT
as_pg "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -o "-c listen_addresses='' -c unix_socket_directories='$dir'" -w start >/dev/null 2>&1 || true
psql_() { as_pg "$PGBIN/psql" -h "$dir" -U postgres -d passage -v ON_ERROR_STOP=1 -qAt "$@"; }
url="host=$dir user=postgres dbname=passage"

# Cases recorded over the twelve months before this one (so the release cutoff counts them all),
# with skewed origins and areas so that many cells are small. setseed: the same data every run.
psql_ -c "SELECT setseed(0.42)" -c "
INSERT INTO cases (organisation_id, ref, caseworker, facts, classification, classifier_version, classified_by,
                   primary_category, categories, review, created_at)
SELECT 1, 'b-' || g, 'bench',
       jsonb_build_object('sex', (ARRAY['female','male','other'])[1 + (random() * 2.2)::int],
                          'age', (random() * random() * 90)::int,
                          'nationality', (ARRAY['SY','AF','VE','SS','UA','CD','MM','ER','SO','SD','CO','HT','YE','IQ','NG','ET'])[1 + (random() * random() * 15)::int],
                          'current_country', 'CO',
                          'current_area', 'CO-' || (ARRAY['ANT','BOL','ATL','CUN','DC','NAR','VAC','SAN','LAG','PUT'])[1 + (random() * random() * 9)::int]),
       '{}'::json, 'bench', 'bench', c, ARRAY[c], false,
       date_trunc('month', now()) - (1 + random() * 364) * interval '1 day'
  FROM generate_series(1, $cases) g,
       LATERAL (SELECT (ARRAY['refugee_asylum','idp','migrant_worker','trafficked','unclassified'])[1 + (random() * 4 + g * 0)::int] AS c) category" >/dev/null
psql_ -c "VACUUM ANALYZE cases" >/dev/null

query="SELECT primary_category, coalesce(origin_country, 'unknown'), coalesce(age_band, 'unknown'), count(*) FROM cases WHERE created_at < date_trunc('month', now()) GROUP BY 1, 2, 3"
seconds() { python3 -c "import time,sys; print(time.time()-float(sys.argv[1]))" "$1"; }
p=(); q=()
for _ in 1 2 3 4 5; do
  start=$(date +%s.%N)
  "$PASSAGE" export --database-url "$url" --by category,origin,age_band --k 5 --format csv >"$dir/export.csv" 2>"$dir/export.err"
  p+=("$(seconds "$start")")
  start=$(date +%s.%N)
  # psql as the same user as passage export (no runuser in the timed part): both connect as postgres.
  "$PGBIN/psql" -h "$dir" -U postgres -d passage -v ON_ERROR_STOP=1 -qAt -c "COPY ($query) TO STDOUT (FORMAT csv)" >"$dir/psql.csv"
  q+=("$(seconds "$start")")
done
pm=$(median "${p[@]}"); qm=$(median "${q[@]}")
rows=$(($(wc -l <"$dir/export.csv") - 1)); suppressed=$(grep -c ',true$' "$dir/export.csv" || true)
echo "stats cases=$cases export_s=${p[*]} psql_copy_s=${q[*]} median_export_s=$(printf %.3f "$pm") median_psql_s=$(printf %.3f "$qm") ratio=$(ratio "$pm" "$qm") cells=$rows suppressed=$suppressed psql_groups=$(wc -l <"$dir/psql.csv")"
