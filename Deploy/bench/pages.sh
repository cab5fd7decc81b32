#!/usr/bin/env bash
# Web pages at CASES synthetic cases (default 1,000,000): time to first byte of the policy
# staff's gaps page, the analyst's statistics preview and the caseworkers' referrals page,
# beside the console answering the same question (GAPS, STATS, REFERRAL LIST) in the same run
# (passage-bench latency, p50 over RUNS). The first gaps page of a release period makes the
# release (timed alone); the others read it. curl's time_starttransfer is the first byte.
# DATA_DIR=DIR reuses a data directory an earlier `passage demo --data-dir DIR` loaded.
source "$(dirname "$0")/common.sh"
cases=${CASES:-1000000}; runs=${RUNS:-30}; port=${PORT:-7437}; http=${HTTP_PORT:-7438}
reuse=${DATA_DIR:-}
if [ -n "$reuse" ]; then dir=$(cd "$reuse" && pwd); else dir=$(mktemp -d /tmp/pg-XXXXXX); fi
work=$(mktemp -d /tmp/pages-XXXXXX); pid=
cleanup() {
  [ -n "$pid" ] && { kill -TERM "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; }
  rm -rf "$work"; [ -n "$reuse" ] || rm -rf "$dir"
}
trap cleanup EXIT
[ -n "$reuse" ] || "$PASSAGE" demo --cases "$cases" --seed 7 --data-dir "$dir" >"$work/demo" 2>&1
for account in bench-policy:policy bench-analyst:analyst; do
  echo "${account%%:*}-password" | "$PASSAGE" user add "${account%%:*}" --role "${account##*:}" --org demo-ngo \
    --password-stdin --data-dir "$dir" >/dev/null 2>&1 || true
done
# The referrals page shows the demo organisation's caseworker's referrals.
echo "bench-caseworker-password" | "$PASSAGE" user add bench-caseworker --role caseworker --org demo-ngo \
  --password-stdin --data-dir "$dir" >/dev/null 2>&1 || true
"$PASSAGE" serve --data-dir "$dir" --port "$port" --http-port "$http" --gaps-refresh 0 --bulk-rows-per-minute 0 \
  >"$work/serve" 2>&1 & pid=$!
wait_port "$port" "$pid"; wait_port "$http" "$pid"
token() {  # token USER: a session of USER; the web pages take it as their session cookie
  curl -sS -X POST "http://127.0.0.1:$http/v1/sessions" -H 'Content-Type: application/json' \
    -d "{\"user\":\"$1\",\"password\":\"$1-password\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}
ttfb() {  # ttfb USER PATH RUNS → first-byte times in ms, one per line
  local cookie="passage_session=$(token "$1")"
  for _ in $(seq 1 "$3"); do
    curl -sS -o /dev/null -b "$cookie" -w '%{http_code} %{time_starttransfer}\n' "http://127.0.0.1:$http$2" \
      | awk '$1 != 200 {print "HTTP " $1 > "/dev/stderr"; exit 1} {printf "%.2f\n", $2 * 1000}'
  done
}
p50() { python3 -c "import sys,statistics; v=[float(x) for x in sys.stdin.read().split()]; print(f'{statistics.median(v):.2f}')"; }
console_p50() {  # console_p50 USER LINE
  "$PASSAGE_BENCH" latency --port "$port" --user "$1" --password "$1-password" --command "$2" --runs "$runs" \
    | sed 's/.*p50_ms=\([0-9.]*\).*/\1/'
}
first=$(ttfb bench-policy "/gaps?kind=unmet" 1)
gaps_page=$(ttfb bench-policy "/gaps?kind=unmet" "$runs" | p50)
gaps_console=$(console_p50 bench-policy "GAPS unmet")
stats_page=$(ttfb bench-analyst "/statistics?by=category&by=sex&run=1" "$runs" | p50)
stats_console=$(console_p50 bench-analyst "STATS by=category,sex")
referrals_page=$(ttfb bench-caseworker "/referrals" "$runs" | p50)
referrals_console=$(console_p50 bench-caseworker "REFERRAL LIST")
echo "cases=$cases runs=$runs"
echo "gaps first_page_ms=$first page_p50_ms=$gaps_page console_p50_ms=$gaps_console page/console=$(ratio "$gaps_page" "$gaps_console")"
echo "statistics page_p50_ms=$stats_page console_p50_ms=$stats_console page/console=$(ratio "$stats_page" "$stats_console")"
echo "referrals page_p50_ms=$referrals_page console_p50_ms=$referrals_console page/console=$(ratio "$referrals_page" "$referrals_console")"
