#!/usr/bin/env bash
# Stops the test cluster of Deploy/ha/start.sh: the three Patroni nodes (each stops its
# PostgreSQL), then etcd. With --destroy also removes HA_DIR (every node's data).
set -euo pipefail
HA_DIR="${HA_DIR:-/tmp/pha}"
stop_pid() {   # SIGTERM, then wait up to 60 s
  local file="$1"
  [ -f "$file" ] || return 0
  local pid; pid="$(cat "$file")"
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid"
    for _ in $(seq 600); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -f "$file"
}
for n in 1 2 3; do stop_pid "$HA_DIR/n$n.pid"; done
# A PostgreSQL that outlived its Patroni (Patroni killed): stopped fast.
BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/15/bin 2>/dev/null || ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}"
as_postgres=(); [ "$(id -u)" -eq 0 ] && as_postgres=(runuser -u postgres --)
for n in 1 2 3; do
  if [ -f "$HA_DIR/n$n/data/postmaster.pid" ]; then
    "${as_postgres[@]}" "$BIN/pg_ctl" -D "$HA_DIR/n$n/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
done
stop_pid "$HA_DIR/etcd.pid"
[ "${1:-}" = "--destroy" ] && rm -rf "$HA_DIR"
exit 0
