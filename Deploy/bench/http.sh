#!/usr/bin/env bash
# The HTTP API beside the console doing the same, same server, same run (issue 20), with
# pgbench's REFER transaction (Deploy/bench/refer.sql) as the anchor of the machine:
#  - REFER:     console REFER (passage-bench refer)  vs  POST /v1/referrals (wrk + http-refer.lua)
#  - case read: console CASE SHOW (passage-bench repeat)  vs  GET /v1/cases/{case} (wrk)
# 4 connections each (wrk: 2 threads × 2 connections), five alternating rounds of 6 s; every
# REFER refers a different need. Prints requests per second per round and the median ratios.
source "$(dirname "$0")/common.sh"
command -v wrk >/dev/null || { [ "$(id -u)" -eq 0 ] && apt-get install -y -q wrk >/dev/null; }
dir=$(mktemp -d /tmp/hb-XXXXXX); port=7435; http=7436
"$PASSAGE" migrate --data-dir "$dir" >/dev/null 2>&1
as_pg "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -o "-c listen_addresses='' -c unix_socket_directories='$dir'" -w start >/dev/null 2>&1 || true
url="host=$dir user=postgres dbname=passage"
export PASSAGE_PII_KEY="http-benchmark-key-of-at-least-forty-characters"
echo "bench-password-1" | "$PASSAGE" user add bench --role caseworker --org bench --password-stdin --database-url "$url" >/dev/null
psql() { as_pg "$PGBIN/psql" -h "$dir" -U postgres -d passage -q -v ON_ERROR_STOP=1 "$@"; }
"$PASSAGE" serve --database-url "$url" --port "$port" --http-port "$http" --gaps-refresh 0 --bulk-rows-per-minute 0 \
    >"$dir/serve.log" 2>&1 & pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null; as_pg "$PGBIN/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1; rm -rf "$dir"' EXIT
wait_port "$port" "$pid"; wait_port "$http" "$pid"
# The world after the server's start: its start check opens a sample of the stored persons'
# identifiers with the personal-data key, and the world's person holds placeholder bytes.
psql -v needs=500000 < Deploy/bench/refer-world.sql
chmod 755 "$dir"; cp Deploy/bench/refer.sql "$dir/"; chmod 644 "$dir/refer.sql"
# The case read: a case of ordinary size (three needs), opened through the console so its
# classification is the classifier's.
show=$(printf 'AUTH bench bench-password-1\r\nCASE NEW {"ref":"show-1","age":34,"sex":"female","nationality":"SY","current_country":"DE","asylum":"applied"}\r\nQUIT\r\n' \
  | nc -q 5 127.0.0.1 "$port" | sed -n 's/^250 case=\([0-9]*\).*/\1/p' | head -1)
[ -n "$show" ] || { echo "could not open the case to read" >&2; exit 1; }
for code in LP HE SN; do
  printf 'AUTH bench bench-password-1\r\nNEED ADD %s %s\r\nQUIT\r\n' "$show" "$code" | nc -q 5 127.0.0.1 "$port" >/dev/null
done
token=$(curl -sS -X POST "http://127.0.0.1:$http/v1/sessions" -H 'Content-Type: application/json' \
  -d '{"user":"bench","password":"bench-password-1"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
seconds=${SECONDS_PER_RUN:-6}
wrk_rps() { awk '/^Requests\/sec/ {print int($2)}'; }
wrk_errors() { awk '/Non-2xx|Socket errors/ {print}'; }
# Warm-up, not counted (plans on tables of a realistic size, as in refer.sh).
"$PASSAGE_BENCH" refer --port "$port" --user bench --password bench-password-1 --case 1 --provider 1 \
    --first-need 400001 --connections 4 --seconds 6 >/dev/null
FIRST_NEED=420001 TOKEN=$token wrk -t2 -c4 -d6s -s Deploy/bench/http-refer.lua "http://127.0.0.1:$http" >/dev/null
cr=(); hr=(); gr=(); cs=(); hs=()
for round in 0 1 2 3 4; do
  base=$((round * 60000 + 1))
  cr+=("$("$PASSAGE_BENCH" refer --port "$port" --user bench --password bench-password-1 --case 1 --provider 1 \
          --first-need "$base" --connections 4 --seconds "$seconds")")
  out=$(FIRST_NEED=$((base + 20000)) TOKEN=$token wrk -t2 -c4 -d"${seconds}s" -s Deploy/bench/http-refer.lua "http://127.0.0.1:$http")
  [ -z "$(echo "$out" | wrk_errors)" ] || { echo "HTTP REFER round $round: $(echo "$out" | wrk_errors)" >&2; }
  hr+=("$(echo "$out" | wrk_rps)")
  gr+=("$(as_pg "$PGBIN/pgbench" -h "$dir" -U postgres -M prepared -n -c 4 -j 2 -T "$seconds" -f "$dir/refer.sql" \
          -D first=$((base + 40000)) passage 2>"$dir/pgbench.err" | awk '/^tps/ {print int($3)}')")
  cs+=("$("$PASSAGE_BENCH" repeat --port "$port" --user bench --password bench-password-1 \
          --command "CASE SHOW $show" --connections 4 --seconds "$seconds")")
  out=$(wrk -t2 -c4 -d"${seconds}s" -H "Authorization: Bearer $token" "http://127.0.0.1:$http/v1/cases/$show")
  [ -z "$(echo "$out" | wrk_errors)" ] || { echo "HTTP case read round $round: $(echo "$out" | wrk_errors)" >&2; }
  hs+=("$(echo "$out" | wrk_rps)")
done
referrals=$(psql -At -c "SELECT count(*) FROM referrals")
mcr=$(median "${cr[@]}"); mhr=$(median "${hr[@]}"); mgr=$(median "${gr[@]}"); mcs=$(median "${cs[@]}"); mhs=$(median "${hs[@]}")
echo "refer console=${cr[*]} http=${hr[*]} pgbench=${gr[*]}"
echo "refer median console=$mcr http=$mhr pgbench=$mgr http/console=$(ratio "$mhr" "$mcr") console/pgbench=$(ratio "$mcr" "$mgr") http/pgbench=$(ratio "$mhr" "$mgr") referrals=$referrals"
echo "case-read console=${cs[*]} http=${hs[*]}"
echo "case-read median console=$mcs http=$mhs http/console=$(ratio "$mhs" "$mcs")"
