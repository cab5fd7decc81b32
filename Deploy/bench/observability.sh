#!/usr/bin/env bash
# What a log line and the metrics of every console command cost (issue 21): the same build run
# three times side by side, each on its own demo database: "quiet" (--log-level warning: no
# command lines; --metrics-listen off: the no-op metrics system), "json" and "text" (a line per
# command at info in that format, written to a file; Prometheus metrics on, scraped every second
# as a Prometheus server would). Same load client, alternating rounds: WHOAMI (no database: the
# dispatch path alone, where the log line weighs most), CASE SHOW (one read transaction) and
# PING on the event loop (counted, not logged). Four connections, one line in flight each.
source "$(dirname "$0")/common.sh"
# PASSAGE_BIN_DIR=.build-x/release (with PASSAGE_BENCH_NO_BUILD=1): binaries built elsewhere.
if [ -n "${PASSAGE_BIN_DIR:-}" ]; then PASSAGE=$PWD/$PASSAGE_BIN_DIR/passage; PASSAGE_BENCH=$PWD/$PASSAGE_BIN_DIR/passage-bench; fi
qdir=$(mktemp -d /tmp/ob-XXXXXX); jdir=$(mktemp -d /tmp/ob-XXXXXX); tdir=$(mktemp -d /tmp/ob-XXXXXX)
qport=7441; jport=7442; tport=7443; jmport=7444; tmport=7445
"$PASSAGE" serve --demo --data-dir "$qdir" --port "$qport" --no-http --log-level warning --metrics-listen off \
    >"$qdir.out" 2>"$qdir.log" & qpid=$!
"$PASSAGE" serve --demo --data-dir "$jdir" --port "$jport" --no-http --log-format json --log-level info \
    --metrics-listen "127.0.0.1:$jmport" >"$jdir.out" 2>"$jdir.log" & jpid=$!
"$PASSAGE" serve --demo --data-dir "$tdir" --port "$tport" --no-http --log-format text --log-level info \
    --metrics-listen "127.0.0.1:$tmport" >"$tdir.out" 2>"$tdir.log" & tpid=$!
( while sleep 1; do curl -s "127.0.0.1:$jmport/metrics" "127.0.0.1:$tmport/metrics" >/dev/null 2>&1 || true; done ) & spid=$!
trap 'kill $spid 2>/dev/null; kill -TERM $qpid $jpid $tpid 2>/dev/null; wait $qpid $jpid $tpid 2>/dev/null; rm -rf "$qdir" "$jdir" "$tdir" "$qdir".* "$jdir".* "$tdir".*' EXIT
wait_port "$qport" "$qpid"; wait_port "$jport" "$jpid"; wait_port "$tport" "$tpid"
wait_port "$jmport" "$jpid"; wait_port "$tmport" "$tpid"
seconds=${SECONDS_PER_RUN:-6}
load() {  # load PORT LINE
  if [ "$2" = PING ]; then "$PASSAGE_BENCH" ping --port "$1" --connections 4 --depth 1 --seconds "$seconds"
  else "$PASSAGE_BENCH" repeat --port "$1" --user demo-caseworker --password demo-caseworker-pass \
         --command "$2" --connections 4 --seconds "$seconds"; fi
}
for line in "WHOAMI" "CASE SHOW 2" "PING"; do
  q=(); j=(); t=()
  for _ in 1 2 3; do q+=("$(load "$qport" "$line")"); j+=("$(load "$jport" "$line")"); t+=("$(load "$tport" "$line")"); done
  qm=$(median "${q[@]}"); jm=$(median "${j[@]}"); tm=$(median "${t[@]}")
  echo "observability line=\"$line\" quiet=${q[*]} json=${j[*]} text=${t[*]} median_quiet=$qm median_json=$jm median_text=$tm json_vs_quiet=$(ratio "$jm" "$qm") text_vs_quiet=$(ratio "$tm" "$qm")"
done
echo "json log: $(wc -l <"$jdir.log") lines, $(du -h "$jdir.log" | cut -f1); text log: $(wc -l <"$tdir.log") lines, $(du -h "$tdir.log" | cut -f1)"
