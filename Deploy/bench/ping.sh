#!/usr/bin/env bash
# PING throughput of the console vs redis-server's inline PING, same load client, same run:
# 4 connections, one PING in flight each, then 16 in flight each. Three alternating rounds.
source "$(dirname "$0")/common.sh"
command -v redis-server >/dev/null || apt-get install -y -q redis-server >/dev/null
dir=$(mktemp -d /tmp/pb-XXXXXX); port=7431; rport=7432
"$PASSAGE" serve --data-dir "$dir" --port "$port" >"$dir.log" 2>&1 & pid=$!
redis-server --port "$rport" --save '' --appendonly no >/dev/null 2>&1 & rpid=$!
trap 'kill -TERM $pid $rpid 2>/dev/null; wait $pid $rpid 2>/dev/null; rm -rf "$dir" "$dir.log"' EXIT
wait_port "$port" "$pid"; wait_port "$rport" "$rpid"
seconds=${SECONDS_PER_RUN:-8}
for depth in 1 16; do
  p=(); r=()
  for _ in 1 2 3; do
    p+=("$("$PASSAGE" bench ping --port "$port" --connections 4 --depth "$depth" --seconds "$seconds")")
    r+=("$("$PASSAGE" bench ping --port "$rport" --connections 4 --depth "$depth" --seconds "$seconds")")
  done
  pm=$(median "${p[@]}"); rm_=$(median "${r[@]}")
  echo "ping depth=$depth passage=${p[*]} redis=${r[*]} median_passage=$pm median_redis=$rm_ ratio=$(ratio "$pm" "$rm_")"
done
