#!/usr/bin/env bash
# PING throughput of the console vs redis-server's inline PING, same load client, same run:
# 4 connections, one PING in flight each, then 16 in flight each. Three alternating rounds.
# Passage runs twice, on both sides of its one PING switch: with PING answered on the event loop
# (the default) and with --no-ping-on-event-loop (every PING through the command table).
source "$(dirname "$0")/common.sh"
command -v redis-server >/dev/null || apt-get install -y -q redis-server >/dev/null
# A data directory each (the cluster's owner must reach it, so not under another private one).
dir=$(mktemp -d /tmp/pb-XXXXXX); tdir=$(mktemp -d /tmp/pb-XXXXXX); port=7431; rport=7432; tport=7433
"$PASSAGE" serve --data-dir "$dir" --port "$port" >"$dir.log" 2>&1 & pid=$!
"$PASSAGE" serve --data-dir "$tdir" --port "$tport" --no-ping-on-event-loop >"$tdir.log" 2>&1 & tpid=$!
redis-server --port "$rport" --save '' --appendonly no >/dev/null 2>&1 & rpid=$!
trap 'kill -TERM $pid $tpid $rpid 2>/dev/null; wait $pid $tpid $rpid 2>/dev/null; rm -rf "$dir" "$tdir" "$dir.log" "$tdir.log"' EXIT
wait_port "$port" "$pid"; wait_port "$tport" "$tpid"; wait_port "$rport" "$rpid"
seconds=${SECONDS_PER_RUN:-8}
load() { "$PASSAGE_BENCH" ping --port "$1" --connections 4 --depth "$2" --seconds "$seconds"; }
for depth in 1 16; do
  p=(); t=(); r=()
  for _ in 1 2 3; do
    p+=("$(load "$port" "$depth")"); t+=("$(load "$tport" "$depth")"); r+=("$(load "$rport" "$depth")")
  done
  pm=$(median "${p[@]}"); tm=$(median "${t[@]}"); rm_=$(median "${r[@]}")
  echo "ping depth=$depth passage=${p[*]} passage_table_only=${t[*]} redis=${r[*]}" \
       "median_passage=$pm median_table_only=$tm median_redis=$rm_ ratio=$(ratio "$pm" "$rm_") ratio_table_only=$(ratio "$tm" "$rm_")"
done
