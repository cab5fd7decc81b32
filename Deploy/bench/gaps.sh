#!/usr/bin/env bash
# GAPS at CASES synthetic cases (default 1,000,000), same cluster, same run:
#  1. `passage demo --cases CASES` load time vs psql \copy of the same rows (exported from it)
#     into tables of the same shape (columns, constraints, indexes, foreign keys);
#  2. every GAPS kind (default breakdown, policy scope) warm through the console, p50/p95 over
#     RUNS runs, beside the same query as plain SQL on the base tables through pgbench (no gaps
#     index, no rollup; SQL_RUNS runs, 100 by default like the console: at a million cases that
#     is most of an hour, because each run takes seconds).
# DATA_DIR=DIR reuses a data directory an earlier `passage demo --data-dir DIR` loaded (for
# iterating on GAPS itself): no load and no \copy comparison (step 1), the rollup refreshed
# by serve at start, and the directory left as it was (the dropped index is created again).
source "$(dirname "$0")/common.sh"
source Deploy/bench/copy-anchor.sh
# A debug build can stand in to check the script itself (never for figures).
PASSAGE=${PASSAGE_OVERRIDE:-$PASSAGE}
PASSAGE_BENCH=${PASSAGE_BENCH_OVERRIDE:-$PASSAGE_BENCH}
declare -A console plain first
cases=${CASES:-1000000}; runs=${RUNS:-100}; sql_runs=${SQL_RUNS:-100}; port=${PORT:-7433}
reuse=${DATA_DIR:-}
if [ -n "$reuse" ]; then dir=$(cd "$reuse" && pwd); else dir=$(mktemp -d /tmp/pg-XXXXXX); fi
pid=
# Files psql and pgbench (run as the cluster owner) read and write.
work=$(mktemp -d /tmp/gaps-work-XXXXXX); chmod 777 "$work"
cleanup() {
  [ -n "$pid" ] && { kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; }
  as_pg "$PGBIN/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$work"
  [ -n "$reuse" ] || rm -rf "$dir" "$dir".*
}
trap cleanup EXIT
percentiles() { python3 -c "
import sys
v = sorted(float(x) for x in sys.stdin.read().split())
p = lambda q: v[min(len(v) - 1, max(0, -(-int(q * len(v) * 1000) // 1000) - 1))]
print(f'p50_ms={p(0.5):.2f} p95_ms={p(0.95):.2f}')"; }

if [ -z "$reuse" ]; then
  # 1a. passage demo (its embedded cluster starts and stops with it).
  start=$(date +%s.%N)
  "$PASSAGE" demo --cases "$cases" --seed 7 --data-dir "$dir" >"$work/demo" 2>"$work/demo.err" || { cat "$work/demo.err" >&2; exit 1; }
  demo_wall=$(python3 -c "import time,sys; print(f'{time.time()-float(sys.argv[1]):.2f}')" "$start")
  load_s=$(sed -n 's/^loaded .* in \([0-9.]*\) s$/\1/p' "$work/demo")
  refresh_s=$(sed -n 's/^gaps rollup refreshed: \([0-9]*\) rows in \([0-9.]*\) s$/\2/p' "$work/demo")
  rollup_rows=$(sed -n 's/^gaps rollup refreshed: \([0-9]*\) rows in .*$/\1/p' "$work/demo")
  cat "$work/demo" >&2
fi

# 2a. GAPS through the console, answered from the rollup the load just refreshed (or, reusing
# a directory, the one serve refreshes at start; it is not refreshed again during the runs).
if [ -z "$reuse" ]; then
  "$PASSAGE" serve --data-dir "$dir" --port "$port" --gaps-refresh 0 >"$work/serve" 2>&1 & pid=$!
else
  "$PASSAGE" serve --data-dir "$dir" --port "$port" --gaps-refresh 1440 >"$work/serve" 2>&1 & pid=$!
fi
wait_port "$port" "$pid"
if [ -n "$reuse" ]; then
  until grep -q "gaps rollup refreshed" "$work/serve"; do
    kill -0 "$pid" 2>/dev/null || { cat "$work/serve" >&2; exit 1; }
    sleep 2
  done
  rollup_rows=$(sed -n 's/.*gaps rollup refreshed: \([0-9]*\) rows in \([0-9.]*\) seconds.*/\1/p' "$work/serve" | tail -1)
  refresh_s=$(sed -n 's/.*gaps rollup refreshed: \([0-9]*\) rows in \([0-9.]*\) seconds.*/\2/p' "$work/serve" | tail -1)
fi
echo "bench-policy-password" | "$PASSAGE" user add bench-policy --role policy --password-stdin --data-dir "$dir" >/dev/null 2>&1 || true
for kind in unmet overdue coverage outcomes; do
  # The first answer of a release period makes the release (the base tables as of the period's
  # boundary, published and stored): timed alone; then the warm runs read the stored answer.
  first[$kind]=$("$PASSAGE_BENCH" latency --port "$port" --user bench-policy --password bench-policy-password \
                 --command "GAPS $kind" --runs 1 --warmup 0 | sed 's/ p95_ms=.*//; s/p50_ms=/first_ms=/')
  console[$kind]=$("$PASSAGE_BENCH" latency --port "$port" --user bench-policy --password bench-policy-password \
                   --command "GAPS $kind" --runs "$runs")
done
kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; pid=

# The cluster again, for psql and pgbench.
as_pg "$PGBIN/pg_ctl" -D "$dir/data" -l "$work/postgres.log" -o "-c listen_addresses='' -c unix_socket_directories='$dir'" -w start >/dev/null
psql_() { as_pg "$PGBIN/psql" -h "$dir" -U postgres -d passage -v ON_ERROR_STOP=1 -qAt "$@"; }
counts=$(psql_ -c "SELECT (SELECT count(*) FROM cases) || ' cases, ' || (SELECT count(*) FROM needs) || ' needs, ' || (SELECT count(*) FROM referrals) || ' referrals, ' || (SELECT count(*) FROM referral_events) || ' events'")

# 2b. The same queries as plain SQL on the base tables, without the gaps index.
psql_ -c "DROP INDEX referrals_pending_by_due"
for kind in unmet overdue coverage outcomes; do
  cp "Deploy/bench/gaps/$kind.sql" "$work/$kind.sql"; chmod 644 "$work/$kind.sql"
  (cd "$work" && as_pg "$PGBIN/pgbench" -n -h "$dir" -U postgres -t "$sql_runs" -f "$work/$kind.sql" --log --log-prefix="$work/pgb-$kind" passage >/dev/null)
  plain[$kind]=$(cat "$work"/pgb-$kind.* | awk '{print $3 / 1000}' | percentiles)
  rm -f "$work"/pgb-$kind.*
done

if [ -n "$reuse" ]; then
  psql_ -c "CREATE INDEX referrals_pending_by_due ON referrals (due_at) WHERE status = 'pending'"
  echo "gaps reused $dir ($counts) rollup_rows=$rollup_rows rollup_refresh_s=$refresh_s"
  for kind in unmet overdue coverage outcomes; do
    echo "gaps-$kind console(release,runs=$runs) ${first[$kind]} ${console[$kind]} plain_sql(base tables,runs=$sql_runs) ${plain[$kind]}"
  done
  exit 0
fi

# 1b. psql \copy of the same rows into tables of the same shape (copy-anchor.sh).
copy_s=$(copy_anchor "$work")

echo "gaps cases=$cases ($counts) rollup_rows=$rollup_rows rollup_refresh_s=$refresh_s"
echo "demo-load passage_demo_load_s=$load_s passage_demo_wall_s=$demo_wall psql_copy_s=$copy_s ratio=$(ratio "$load_s" "$copy_s")"
for kind in unmet overdue coverage outcomes; do
  echo "gaps-$kind console(release,runs=$runs) ${first[$kind]} ${console[$kind]} plain_sql(base tables,runs=$sql_runs) ${plain[$kind]}"
done
