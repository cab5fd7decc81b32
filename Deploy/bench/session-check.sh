#!/usr/bin/env bash
# The cost of "sessions end with their credentials" on REFER (Docs/security.md section 2): the
# server-side part of a console REFER as pgbench sends it in Passage's two pipelines
# (refer-pipelined, as in refer.sh), with and without `SELECT passage_session_check(id, epoch)`
# at the head of the first pipeline — the statement every signed-in command's transaction now
# carries. Alternating rounds on one cluster; medians compared. The round trip count is the same
# on both sides (the check travels with BEGIN), so this is the whole of the difference.
# PASSAGE_BIN: the passage binary for migrate and user add (default: the debug build).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
PASSAGE=${PASSAGE_BIN:-$PWD/.build/debug/passage}
PGBIN=$(pg_config --bindir 2>/dev/null || ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
median() { python3 -c "import sys,statistics; print(statistics.median(float(x) for x in sys.argv[1:]))" "$@"; }
dir=$(mktemp -d /tmp/sc-XXXXXX)
"$PASSAGE" migrate --data-dir "$dir" >/dev/null 2>&1
as_pg "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -o "-c listen_addresses='' -c unix_socket_directories='$dir'" -w start >/dev/null 2>&1 || true
trap 'as_pg "$PGBIN/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1; rm -rf "$dir"' EXIT
url="host=$dir user=postgres dbname=passage"
echo "bench-password-1" | "$PASSAGE" user add bench --role caseworker --org bench --password-stdin --database-url "$url" >/dev/null
psql() { as_pg "$PGBIN/psql" -h "$dir" -U postgres -d passage -q -v ON_ERROR_STOP=1 "$@"; }
psql -v needs=300000 < Deploy/bench/refer-world.sql
epoch=$(psql -At -c "SELECT id || ' ' || credentials_epoch FROM users WHERE name = 'bench'")
chmod 755 "$dir"
sed -e 's/^BEGIN /\\startpipeline\n&/' -e "s/idempotency_key = ('p' || :k::text);\$/&\n\\\\endpipeline/" \
    -e 's/^WITH made AS (/\\startpipeline\n&/' -e 's/^COMMIT;$/&\n\\endpipeline/' Deploy/bench/refer.sql >"$dir/without.sql"
sed -e "s/^BEGIN ISOLATION LEVEL READ COMMITTED;\$/&\nSELECT passage_session_check(${epoch% *}, ${epoch#* });/" "$dir/without.sql" >"$dir/with.sql"
grep -q passage_session_check "$dir/with.sql"
chmod 644 "$dir"/*.sql
seconds=${SECONDS_PER_RUN:-6}
run() { as_pg "$PGBIN/pgbench" -h "$dir" -U postgres -M prepared -n -c 4 -j 2 -T "$seconds" -f "$dir/$1.sql" -D first="$2" passage 2>"$dir/pgbench.err" | awk '/^tps/ {print int($3)}'; }
run without 250001 >/dev/null; run with 275001 >/dev/null || { cat "$dir/pgbench.err" >&2; exit 1; }   # warm-up
w=(); c=()
for round in 0 1 2 3 4; do
  w+=("$(run without $((round * 50000 + 1)))")
  c+=("$(run with $((round * 50000 + 25001)))")
done
# The check alone, one client, no other statement: its own server time per call (latency
# includes the socket round trip, which a console transaction does not pay for it).
echo "SELECT passage_session_check(${epoch% *}, ${epoch#* });" >"$dir/check.sql"; chmod 644 "$dir/check.sql"
alone=$(as_pg "$PGBIN/pgbench" -h "$dir" -U postgres -M prepared -n -c 1 -T "$seconds" -f "$dir/check.sql" passage 2>/dev/null | awk '/^latency average/ {print $4 " ms"}')
echo "session-check alone: latency average $alone (with its round trip)"
wm=$(median "${w[@]}"); cm=$(median "${c[@]}")
echo "session-check without=${w[*]} with=${c[*]} median_without=$wm median_with=$cm ratio=$(python3 -c "print(f'{$cm/$wm:.3f}')")"
