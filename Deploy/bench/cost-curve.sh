#!/usr/bin/env bash
# The cost curve (issue 22, Docs/performance.md "Cost curve"): the same figures, each beside its
# anchor in the same run, on a database `passage demo --cases N --seed 7` loaded, so that 100 k,
# 1 M and 10 M cases are measured alike.
#
#   Deploy/bench/cost-curve.sh load DIR CASES   passage demo into DIR (a new directory), timed;
#                                               then (COPY_ANCHOR=1, the default) psql \copy of the
#                                               same rows into tables of the same shape, timed, and
#                                               dropped again (copy-anchor.sh). Writes DIR.load.
#   Deploy/bench/cost-curve.sh measure DIR      every other figure on DIR (loaded by `load`, whose
#                                               DIR.load it prints again):
#     size       the database and its largest tables (with their indexes and TOAST)
#     stats      `passage export --by category,origin,age_band` vs psql `COPY (… GROUP BY …)`,
#                whole processes, ROUNDS (3) alternating rounds, medians
#     case-show  `CASE SHOW` of CASE_SHOW_CASES (2,000) demo-ngo cases drawn at random, each once,
#                one connection: p50/p95/p99 (and one case over and over: the hot row)
#     gaps       each GAPS kind: the first request (it makes the release), then RUNS (100) warm;
#                the same question as plain SQL on the base tables through pgbench, SQL_RUNS (3)
#     refer      REFER over 4 connections vs pgbench running refer.sql, on this database (the
#                REFER world of refer-world.sql added beside the population), 3 rounds of 6 s
#   Deploy/bench/cost-curve.sh DIR CASES        both.
# Every line ends with the load average (1/5/15 min) when that step began: the machine is shared.
# DIR stays (it gains the REFER world, benchmark users, releases and the referrals REFER made):
# measure a directory once, or load it again. Keep DIR short: the cluster's socket is made in it.
source "$(dirname "$0")/common.sh"
source Deploy/bench/copy-anchor.sh
mode=both
case "${1:-}" in load | measure) mode=$1; shift ;; esac
dir=${1:?usage: cost-curve.sh [load|measure] DIR [CASES]}
cases=${2:-}
runs=${RUNS:-100}; sql_runs=${SQL_RUNS:-3}; rounds=${ROUNDS:-3}; port=${PORT:-7441}
# STEPS: which measurements, of size stats case-show gaps gaps-plain refer (default all).
steps=" ${STEPS:-size stats case-show gaps gaps-plain refer} "
wants() { [[ "$steps" == *" $1 "* ]]; }
pid=; work=$(mktemp -d /tmp/cc-work-XXXXXX); chmod 777 "$work"
cleanup() {
  [ -n "$pid" ] && { kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; }
  [ -d "$dir/data" ] && as_pg "$PGBIN/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
load_average() { cut -d' ' -f1-3 /proc/loadavg | tr ' ' /; }
seconds_since() { python3 -c "import time,sys; print(f'{time.time()-float(sys.argv[1]):.2f}')" "$1"; }
psql_() { as_pg "$PGBIN/psql" -h "$dir" -U postgres -d passage -v ON_ERROR_STOP=1 -qAt "$@"; }
start_cluster() {
  as_pg "$PGBIN/pg_ctl" -D "$dir/data" -l "$work/postgres.log" \
    -o "-c listen_addresses='' -c unix_socket_directories='$dir'" -w -t 600 start >/dev/null
}
stop_cluster() { as_pg "$PGBIN/pg_ctl" -D "$dir/data" -m fast stop >/dev/null; }

load() {
  [ -n "$cases" ] || { echo "cost-curve.sh load DIR CASES: how many cases?" >&2; exit 2; }
  [ ! -e "$dir/data" ] || { echo "$dir already holds a cluster: load into a new directory" >&2; exit 2; }
  mkdir -p "$dir"; dir=$(cd "$dir" && pwd)
  local before start wall load_s refresh_s copy_s=- ratio_=-
  before=$(load_average); start=$(date +%s.%N)
  "$PASSAGE" demo --cases "$cases" --seed 7 --data-dir "$dir" >"$dir.demo" 2>&1 || { cat "$dir.demo" >&2; exit 1; }
  wall=$(seconds_since "$start")
  load_s=$(sed -n 's/^loaded .* in \([0-9.]*\) s$/\1/p' "$dir.demo")
  refresh_s=$(sed -n 's/^gaps rollup refreshed: [0-9]* rows in \([0-9.]*\) s$/\1/p' "$dir.demo")
  if [ "${COPY_ANCHOR:-1}" = 1 ]; then
    start_cluster
    copy_s=$(copy_anchor "$work"); ratio_=$(ratio "$load_s" "$copy_s")
    drop_anchor >/dev/null 2>&1; stop_cluster
  fi
  {
    echo "load cases=$cases passage_demo_load_s=$load_s psql_copy_s=$copy_s ratio=$ratio_ passage_demo_wall_s=$wall rollup_refresh_s=$refresh_s load_average=$before..$(load_average)"
    sed -n 's/^  \(organisations and providers .*\)$/load-phases \1/p' "$dir.demo"
  } | tee "$dir.load"
}

measure() {
  dir=$(cd "$dir" && pwd)
  local la=
  declare -A console=() plain=()
  [ -f "$dir.load" ] && cat "$dir.load"
  # Accounts first (each command starts and stops the cluster itself).
  for account in bench-policy:policy:demo-ngo bench-caseworker:caseworker:demo-ngo bench:caseworker:bench; do
    IFS=: read -r name role org <<<"$account"
    echo "$name-password" | "$PASSAGE" user add "$name" --role "$role" --org "$org" --password-stdin \
      --data-dir "$dir" >/dev/null 2>&1 || true
  done
  start_cluster

  if wants size; then
    # size, before this script adds anything.
    la=$(load_average)
    psql_ -c "SELECT 'size cases=' || (SELECT count(*) FROM cases) || ' needs=' || (SELECT count(*) FROM needs)
        || ' referrals=' || (SELECT count(*) FROM referrals) || ' events=' || (SELECT count(*) FROM referral_events)
        || ' database_bytes=' || pg_database_size(current_database())
        || ' database=' || pg_size_pretty(pg_database_size(current_database()))
        || ' bytes_per_case=' || pg_database_size(current_database()) / greatest(1, (SELECT count(*) FROM cases))
        || ' load_average=$la'"
    psql_ -c "SELECT 'size-table ' || c.relname || ' total=' || pg_size_pretty(pg_total_relation_size(c.oid))
        || ' heap=' || pg_size_pretty(pg_relation_size(c.oid)) || ' indexes=' || pg_size_pretty(pg_indexes_size(c.oid))
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY pg_total_relation_size(c.oid) DESC LIMIT 8"

    # B-tree depth of the look-ups casework makes (the logarithm in "logarithmic"), and the largest indexes.
    psql_ -c "CREATE EXTENSION IF NOT EXISTS pageinspect" -c "SELECT 'size-btree-levels ' || string_agg(i || '=' || (bt_metap(i)).level + 1, ' ' ORDER BY i)
        FROM unnest(ARRAY['cases_pkey', 'cases_organisation_id_ref_key', 'needs_pkey', 'needs_by_case', 'referrals_pkey',
                          'referrals_by_case', 'referral_events_by_referral', 'audit_log_pkey']) i" -c "DROP EXTENSION pageinspect"
    psql_ -c "SELECT 'size-index ' || indexrelid::regclass || '=' || pg_size_pretty(pg_relation_size(indexrelid))
        FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' ORDER BY pg_relation_size(indexrelid) DESC LIMIT 12"
  fi

  if wants stats; then
    # stats: both whole processes connecting as the cluster's owner.
    la=$(load_average)
    local url="host=$dir user=postgres dbname=passage" p=() q=() s
    local query="SELECT primary_category, coalesce(origin_country, 'unknown'), coalesce(age_band, 'unknown'), count(*) FROM cases WHERE created_at < date_trunc('month', now()) GROUP BY 1, 2, 3"
    for _ in $(seq 1 "$rounds"); do
      s=$(date +%s.%N)
      "$PASSAGE" export --database-url "$url" --by category,origin,age_band --k 5 --format csv >"$work/export.csv" 2>"$work/export.err" \
        || { cat "$work/export.err" >&2; exit 1; }
      p+=("$(seconds_since "$s")")
      s=$(date +%s.%N)
      "$PGBIN/psql" -h "$dir" -U postgres -d passage -v ON_ERROR_STOP=1 -qAt -c "COPY ($query) TO STDOUT (FORMAT csv)" >"$work/psql.csv"
      q+=("$(seconds_since "$s")")
    done
    local pm qm; pm=$(median "${p[@]}"); qm=$(median "${q[@]}")
    echo "stats export_s=${p[*]} psql_copy_s=${q[*]} median_export_s=$(printf %.3f "$pm") median_psql_s=$(printf %.3f "$qm") ratio=$(ratio "$pm" "$qm") cells=$(($(wc -l <"$work/export.csv") - 1)) psql_groups=$(wc -l <"$work/psql.csv") load_average=$la"
  fi

  # The cases CASE SHOW reads.
  psql_ -c "SELECT setseed(0.7)" -c "SELECT 'CASE SHOW ' || id FROM cases
      WHERE organisation_id = (SELECT id FROM organisations WHERE name = 'demo-ngo') ORDER BY random() LIMIT ${CASE_SHOW_CASES:-2000}" \
      | grep '^CASE SHOW' >"$work/case-show"


  # The server first: its start checks that the personal-data key opens the stored persons', and
  # the REFER world's person holds placeholder bytes (refer-world.sql), so it comes after.
  "$PASSAGE" serve --data-dir "$dir" --port "$port" --gaps-refresh 0 --bulk-rows-per-minute 0 \
    ${HEAVY_TIMEOUT:+--heavy-statement-timeout "$HEAVY_TIMEOUT"} >"$work/serve" 2>&1 & pid=$!
  wait_port "$port" "$pid" || { cat "$work/serve" >&2; exit 1; }

  latency() {  # latency USER ARGS…
    "$PASSAGE_BENCH" latency --port "$port" --user "$1" --password "$1-password" "${@:2}"
  }

  if wants case-show; then
    # case-show: every case once (cold for the server: a case not read before), then one case.
    la=$(load_average)
    echo "case-show random_cases($(wc -l <"$work/case-show")) $(latency bench-caseworker --commands-file "$work/case-show" \
      --runs "$(wc -l <"$work/case-show")" --warmup 0) one_case(runs=1000) $(latency bench-caseworker \
      --command "$(head -1 "$work/case-show")" --runs 1000) load_average=$la"
  fi

  if wants gaps; then
    # gaps: first (makes the release), then warm.
    local kind first warm
    for kind in unmet overdue coverage outcomes; do
      la=$(load_average)
      first=$(latency bench-policy --command "GAPS $kind" --runs 1 --warmup 0 | sed 's/ p95_ms=.*//; s/p50_ms=/first_ms=/') \
        || first="first=refused"
      warm=$(latency bench-policy --command "GAPS $kind" --runs "$runs") || warm=refused
      console[$kind]="$first warm(runs=$runs) $warm load_average=$la"
    done
    # Printed beside the plain-SQL anchors when those run too (below), else here.
    if ! wants gaps-plain; then
      for kind in unmet overdue coverage outcomes; do echo "gaps-$kind console ${console[$kind]}"; done
    fi
  fi

  if wants gaps-plain; then
    # gaps anchors: the same questions as plain SQL on the base tables (gaps.sh's files), without
    # the gaps index, which is made again after.
    psql_ -c "DROP INDEX IF EXISTS referrals_pending_by_due"
    for kind in unmet overdue coverage outcomes; do
      cp "Deploy/bench/gaps/$kind.sql" "$work/$kind.sql"; chmod 644 "$work/$kind.sql"
      (cd "$work" && as_pg "$PGBIN/pgbench" -n -h "$dir" -U postgres -t "$sql_runs" -f "$work/$kind.sql" --log \
        --log-prefix="$work/pgb-$kind" passage >/dev/null)
      plain[$kind]=$(cat "$work"/pgb-$kind.* | awk '{print $3 / 1000}' | python3 -c "import sys; v = sorted(float(x) for x in sys.stdin.read().split()); p = lambda q: v[min(len(v) - 1, max(0, -(-int(q * len(v) * 1000) // 1000) - 1))]; print(f'p50_ms={p(0.5):.2f} p95_ms={p(0.95):.2f}')")
      rm -f "$work"/pgb-$kind.*
    done
    psql_ -c "CREATE INDEX referrals_pending_by_due ON referrals (due_at) WHERE status = 'pending'"
    for kind in unmet overdue coverage outcomes; do
      echo "gaps-$kind console ${console[$kind]:-not measured} plain_sql(runs=$sql_runs) ${plain[$kind]}"
    done
  fi

  if wants refer; then
    # The REFER world beside the population, after GAPS: its 300,000 open needs of one case would
    # be counted by GAPS as if they were the population's.
    psql_ -v needs=300000 -v analyze_only=1 <Deploy/bench/refer-world.sql >/dev/null
    local ids; ids=$(psql_ -F ' ' -c "SELECT c.id, c.organisation_id, p.id, p.organisation_id, (SELECT min(n.id) FROM needs n WHERE n.case_id = c.id)
        FROM cases c, providers p JOIN organisations o ON o.id = p.organisation_id
       WHERE c.ref = 'bench-1' AND c.organisation_id = (SELECT id FROM organisations WHERE name = 'bench') AND o.name = 'bench-provider'")
    local bench_case bench_org provider receiving first_need
    read -r bench_case bench_org provider receiving first_need <<<"$ids"
    sed -e "s/^\\\\set case 1\$/\\\\set case $bench_case/" -e "s/^\\\\set org 2\$/\\\\set org $bench_org/" \
        -e "s/^\\\\set provider 1\$/\\\\set provider $provider/" -e "s/^\\\\set receiving 3\$/\\\\set receiving $receiving/" \
        Deploy/bench/refer.sql >"$work/refer.sql"
    chmod 644 "$work/refer.sql"

    # refer: alternating rounds on the same server; the warm-ups as refer.sh's.
    la=$(load_average)
    local r=() g=() round
    "$PASSAGE_BENCH" refer --port "$port" --user bench --password bench-password --case "$bench_case" --provider "$provider" \
      --first-need $((first_need + 200000)) --need-span 40000 --connections 4 --seconds 12 >/dev/null
    as_pg "$PGBIN/pgbench" -h "$dir" -U postgres -M prepared -n -c 4 -j 2 -T 6 -f "$work/refer.sql" \
      -D first=$((first_need + 240000)) passage >/dev/null 2>&1
    for round in $(seq 0 $((rounds - 1))); do
      r+=("$("$PASSAGE_BENCH" refer --port "$port" --user bench --password bench-password --case "$bench_case" \
        --provider "$provider" --first-need $((first_need + round * 40000)) --connections 4 --seconds 6)")
      g+=("$(as_pg "$PGBIN/pgbench" -h "$dir" -U postgres -M prepared -n -c 4 -j 2 -T 6 -f "$work/refer.sql" \
        -D first=$((first_need + round * 40000 + 20000)) passage 2>"$work/pgbench.err" | awk '/^tps/ {print int($3)}')")
    done
    local rm_ gm; rm_=$(median "${r[@]}"); gm=$(median "${g[@]}")
    echo "refer passage=${r[*]} pgbench=${g[*]} median_passage=$rm_ median_pgbench=$gm ratio=$(ratio "$rm_" "$gm") load_average=$la..$(load_average)"
  fi

  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; pid=
}

case $mode in
  load) load ;;
  measure) measure ;;
  both) load; measure ;;
esac
