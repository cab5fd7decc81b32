#!/usr/bin/env bash
# REFER end to end over the console (4 connections: parse → one transaction with the referral,
# its event and its audit entry → reply) vs pgbench running the same SQL statements of that
# transaction as a custom script (4 clients), against the same server, same run; five
# alternating rounds of 6 s (30 s per side; the machine is shared, so rounds alternate and the
# medians are compared). Every request refers a different need, so every one makes a referral.
# A third side, pgbench with the same script made to send its statements in the two pipelines
# Passage sends (\startpipeline … \endpipeline: BEGIN, the scope and the look-up; the insert
# and COMMIT); printed beside the anchor, not instead of it.
source "$(dirname "$0")/common.sh"
dir=$(mktemp -d /tmp/rf-XXXXXX); port=7433
"$PASSAGE" migrate --data-dir "$dir" >/dev/null 2>&1
as_pg "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -o "-c listen_addresses='' -c unix_socket_directories='$dir'" -w start >/dev/null 2>&1 || true
url="host=$dir user=postgres dbname=passage"
export PASSAGE_PII_KEY="refer-benchmark-key-of-at-least-forty-characters"
echo "bench-password-1" | "$PASSAGE" user add bench --role caseworker --org bench --password-stdin --database-url "$url" >/dev/null
psql() { as_pg "$PGBIN/psql" -h "$dir" -U postgres -d passage -q -v ON_ERROR_STOP=1 "$@"; }
# No GAPS rollup refresh during the run: it would scan the 200,000 needs beside the measured
# REFERs, which pgbench does not have to share the machine with.
"$PASSAGE" serve --database-url "$url" --port "$port" --gaps-refresh 0 >"$dir/serve.log" 2>&1 & pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null; as_pg "$PGBIN/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1; rm -rf "$dir"' EXIT
wait_port "$port" "$pid"
# One case of organisation 'bench' with 500,000 open needs (5 rounds × 20,000 for each of three sides,
# and the warm-up's 100,000), and one active provider offering legal assistance for them; after the
# server's start: its start check opens a sample of the stored persons' identifiers with the
# personal-data key, and the world's person holds placeholder bytes.
psql -v needs=500000 < Deploy/bench/refer-world.sql
chmod 755 "$dir"; cp Deploy/bench/refer.sql "$dir/"
sed -e 's/^BEGIN /\\startpipeline\n&/' -e "s/idempotency_key = ('p' || :k::text);\$/&\n\\\\endpipeline/" \
    -e 's/^WITH made AS (/\\startpipeline\n&/' -e 's/^COMMIT;$/&\n\\endpipeline/' Deploy/bench/refer.sql >"$dir/refer-pipelined.sql"
chmod 644 "$dir"/refer*.sql
seconds=${SECONDS_PER_RUN:-6}
# Warm-up, not counted: 12 s of Passage (its pooled connections then hold plans made on
# tables of a realistic size; made on the empty tables of a fresh database, they scan until
# the pool renews them, PostgresPool.planLifetime) and 6 s of each pgbench script.
"$PASSAGE_BENCH" refer --port "$port" --user bench --password bench-password-1 --case 1 --provider 1 \
    --first-need 400001 --connections 4 --seconds 12 >/dev/null
as_pg "$PGBIN/pgbench" -h "$dir" -U postgres -M prepared -n -c 4 -j 2 -T 6 -f "$dir/refer.sql" -D first=440001 passage >/dev/null 2>&1
as_pg "$PGBIN/pgbench" -h "$dir" -U postgres -M prepared -n -c 4 -j 2 -T 6 -f "$dir/refer-pipelined.sql" -D first=460001 passage >/dev/null 2>&1
p=(); g=(); l=()
for round in 0 1 2 3 4; do
  p+=("$("$PASSAGE_BENCH" refer --port "$port" --user bench --password bench-password-1 --case 1 --provider 1 \
          --first-need $((round * 40000 + 1)) --connections 4 --seconds "$seconds")")
  g+=("$(as_pg "$PGBIN/pgbench" -h "$dir" -U postgres -M prepared -n -c 4 -j 2 -T "$seconds" -f "$dir/refer.sql" \
          -D first=$((round * 40000 + 20001)) passage 2>"$dir/pgbench.err" | awk '/^tps/ {print int($3)}')")
  l+=("$(as_pg "$PGBIN/pgbench" -h "$dir" -U postgres -M prepared -n -c 4 -j 2 -T "$seconds" -f "$dir/refer-pipelined.sql" \
          -D first=$((round * 40000 + 200001)) passage 2>"$dir/pgbench.err" | awk '/^tps/ {print int($3)}')")
done
referrals=$(psql -At -c "SELECT count(*) FROM referrals")
pm=$(median "${p[@]}"); gm=$(median "${g[@]}"); lm=$(median "${l[@]}")
echo "refer passage=${p[*]} pgbench=${g[*]} median_passage=$pm median_pgbench=$gm ratio=$(ratio "$pm" "$gm") referrals=$referrals"
echo "refer pgbench_pipelined=${l[*]} median=$lm passage_vs_pipelined=$(ratio "$pm" "$lm")"
