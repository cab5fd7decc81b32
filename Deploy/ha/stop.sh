#!/usr/bin/env bash
# Stops the test cluster of Deploy/ha/start.sh: the three Patroni nodes (each stops its
# PostgreSQL), then etcd. With --destroy also removes HA_DIR (every node's data).
set -euo pipefail
HA_DIR="${HA_DIR:-/tmp/pha}"
# Signals only the node's own process: a pid file left by a killed node may name a pid since
# reused by something else, which must not be sent SIGTERM.
#   stop_pid PIDFILE WORD...   (every WORD must appear in /proc/PID/cmdline)
stop_pid() {   # SIGTERM, then wait up to 60 s
  local file="$1"; shift
  [ -f "$file" ] || return 0
  local pid cmd word ours=1; pid="$(cat "$file")"
  if [[ "$pid" =~ ^[0-9]+$ ]] && cmd="$(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null)"; then
    for word in "$@"; do [[ "$cmd" == *"$word"* ]] || ours=0; done
    if [ "$ours" = 1 ]; then
      kill -TERM "$pid" 2>/dev/null || true
      for _ in $(seq 600); do [ -e "/proc/$pid" ] || break; sleep 0.1; done
    fi
  fi
  rm -f "$file"
}
for n in 1 2 3; do stop_pid "$HA_DIR/n$n.pid" patroni "$HA_DIR/n$n.yml"; done
# A PostgreSQL that outlived its Patroni (Patroni killed): stopped fast.
BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/15/bin 2>/dev/null || ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}"
as_postgres=(); [ "$(id -u)" -eq 0 ] && as_postgres=(runuser -u postgres --)
for n in 1 2 3; do
  if [ -f "$HA_DIR/n$n/data/postmaster.pid" ]; then
    "${as_postgres[@]}" "$BIN/pg_ctl" -D "$HA_DIR/n$n/data" -m fast -w stop >/dev/null 2>&1 || true
  fi
done
stop_pid "$HA_DIR/etcd.pid" etcd "$HA_DIR/etcd"
[ "${1:-}" = "--destroy" ] && rm -rf "$HA_DIR"
exit 0
