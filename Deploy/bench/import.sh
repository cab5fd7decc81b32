#!/usr/bin/env bash
# passage import of N cases (default 1,000,000) vs psql \copy of the same rows, as CSV, into a
# table of the same shape (same columns, constraints, indexes and foreign key), same cluster, same run.
source "$(dirname "$0")/common.sh"
lines=${LINES:-1000000}
dir=$(mktemp -d /tmp/pi-XXXXXX)
facts=$dir.jsonl; csv=$dir.csv
python3 Deploy/bench/gen_facts.py --lines "$lines" --seed 11 >"$facts"
"$PASSAGE" migrate --data-dir "$dir" >/dev/null 2>&1
as_pg "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -o "-c listen_addresses='' -c unix_socket_directories='$dir'" -w start >/dev/null
trap 'as_pg "$PGBIN/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1; rm -rf "$dir" "$facts" "$csv"' EXIT
psql_() { as_pg "$PGBIN/psql" -h "$dir" -U postgres -d passage -v ON_ERROR_STOP=1 -qAt "$@"; }

start=$(date +%s.%N)
"$PASSAGE" import --data-dir "$dir" "$facts" >/dev/null 2>&1
passage_s=$(python3 -c "import time,sys; print(time.time()-float(sys.argv[1]))" "$start")

psql_ -c "\copy (SELECT id, organisation_id, ref, caseworker, facts, classification, classifier_version, classified_by, primary_category, categories, review FROM cases) TO '$csv' CSV"
chmod 644 "$csv"
psql_ -c "CREATE TABLE cases_copy (LIKE cases INCLUDING ALL); ALTER TABLE cases_copy ADD FOREIGN KEY (organisation_id) REFERENCES organisations(id)"
start=$(date +%s.%N)
psql_ -c "\copy cases_copy (id, organisation_id, ref, caseworker, facts, classification, classifier_version, classified_by, primary_category, categories, review) FROM '$csv' CSV"
psql_s=$(python3 -c "import time,sys; print(time.time()-float(sys.argv[1]))" "$start")

imported=$(psql_ -c "SELECT count(*) FROM cases")
copied=$(psql_ -c "SELECT count(*) FROM cases_copy")
p_rate=$(python3 -c "print(f'{$imported/$passage_s:.0f}')"); q_rate=$(python3 -c "print(f'{$copied/$psql_s:.0f}')")
echo "import lines=$lines passage_s=$(printf %.2f "$passage_s") passage_rows_per_s=$p_rate psql_copy_s=$(printf %.2f "$psql_s") psql_rows_per_s=$q_rate ratio=$(ratio "$p_rate" "$q_rate")"
