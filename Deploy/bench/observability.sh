#!/usr/bin/env bash
# What a log line and the metrics of every console command cost (issue 21): the same build run
# twice side by side, each on its own demo database: "quiet" (--log-level warning: no command
# lines; --metrics-listen off: the no-op metrics system) and "observed" (--log-format json at
# info: one line per command, written to a file; Prometheus metrics on, scraped every second as a
# Prometheus server would). Same load client, alternating rounds: WHOAMI (no database: the
# dispatch path alone, where the log line weighs most), CASE SHOW (one read transaction) and
# PING on the event loop (counted, not logged). Four connections, one line in flight each.
source "$(dirname "$0")/common.sh"
# PASSAGE_BIN_DIR=.build-x/release (with PASSAGE_BENCH_NO_BUILD=1): binaries built elsewhere.
if [ -n "${PASSAGE_BIN_DIR:-}" ]; then PASSAGE=$PWD/$PASSAGE_BIN_DIR/passage; PASSAGE_BENCH=$PWD/$PASSAGE_BIN_DIR/passage-bench; fi
qdir=$(mktemp -d /tmp/ob-XXXXXX); odir=$(mktemp -d /tmp/ob-XXXXXX); qport=7441; oport=7442; mport=7443
"$PASSAGE" serve --demo --data-dir "$qdir" --port "$qport" --no-http --log-level warning --metrics-listen off \
    >"$qdir.out" 2>"$qdir.log" & qpid=$!
"$PASSAGE" serve --demo --data-dir "$odir" --port "$oport" --no-http --log-format json --log-level info \
    --metrics-listen "127.0.0.1:$mport" >"$odir.out" 2>"$odir.log" & opid=$!
( while sleep 1; do curl -s "127.0.0.1:$mport/metrics" >/dev/null 2>&1 || true; done ) & spid=$!
trap 'kill $spid 2>/dev/null; kill -TERM $qpid $opid 2>/dev/null; wait $qpid $opid 2>/dev/null; rm -rf "$qdir" "$odir" "$qdir".* "$odir".*' EXIT
wait_port "$qport" "$qpid"; wait_port "$oport" "$opid"; wait_port "$mport" "$opid"
seconds=${SECONDS_PER_RUN:-6}
repeat() { "$PASSAGE_BENCH" repeat --port "$1" --user demo-caseworker --password demo-caseworker-pass \
             --command "$2" --connections 4 --seconds "$seconds"; }
ping() { "$PASSAGE_BENCH" ping --port "$1" --connections 4 --depth 1 --seconds "$seconds"; }
for load in "WHOAMI" "CASE SHOW 2" "PING"; do
  q=(); o=()
  for _ in 1 2 3; do
    if [ "$load" = PING ]; then q+=("$(ping "$qport")"); o+=("$(ping "$oport")")
    else q+=("$(repeat "$qport" "$load")"); o+=("$(repeat "$oport" "$load")"); fi
  done
  qm=$(median "${q[@]}"); om=$(median "${o[@]}")
  echo "observability load=\"$load\" quiet=${q[*]} observed=${o[*]} median_quiet=$qm median_observed=$om observed_vs_quiet=$(ratio "$om" "$qm")"
done
echo "observed server's log: $(wc -l <"$odir.log") lines, $(du -h "$odir.log" | cut -f1)"
