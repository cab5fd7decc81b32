#!/usr/bin/env bash
# Starts the three-node test cluster on one machine: one etcd member and three PostgreSQL 15
# nodes, each managed by Patroni (node.yml.in), then waits until there is a leader and a
# synchronous standby (patronictl list). TEST ONLY: trust authentication on 127.0.0.1.
#   Deploy/ha/start.sh            (HA_DIR, default /tmp/pha: short, Unix socket paths ≤ 107 bytes)
# Ports (HA_PORT, default 55430): PostgreSQL HA_PORT+1..3, Patroni REST HA_PORT+11..13,
# etcd client HA_PORT+20, peer HA_PORT+21. Prints the database URL Passage uses.
# Run as root (PostgreSQL and Patroni run as the postgres user) or as postgres itself.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
HA_DIR="${HA_DIR:-/tmp/pha}"
HA_PORT="${HA_PORT:-55430}"
BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/15/bin 2>/dev/null || ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}"
for tool in patroni patronictl etcd; do
  command -v "$tool" >/dev/null || { echo "$tool missing: Deploy/install-deps.sh --ha" >&2; exit 1; }
done
as_postgres=(); [ "$(id -u)" -eq 0 ] && as_postgres=(runuser -u postgres --)
etcd_url="127.0.0.1:$((HA_PORT + 20))"

mkdir -p "$HA_DIR"
cp "$here/post-bootstrap.sh" "$HA_DIR/post-bootstrap.sh"
for n in 1 2 3; do
  mkdir -p "$HA_DIR/n$n"
  sed -e "s|@NAME@|n$n|g" -e "s|@BASE@|$HA_DIR|g" -e "s|@PG_PORT@|$((HA_PORT + n))|g" \
      -e "s|@REST_PORT@|$((HA_PORT + 10 + n))|g" -e "s|@ETCD@|$etcd_url|g" -e "s|@BIN@|$BIN|g" \
      "$here/node.yml.in" > "$HA_DIR/n$n.yml"
done
mkdir -p "$HA_DIR/etcd"
[ "$(id -u)" -eq 0 ] && chown -R postgres: "$HA_DIR"
chmod 700 "$HA_DIR"/n1 "$HA_DIR"/n2 "$HA_DIR"/n3

# Alive = the pid in the file is running AND is that node's process: a pid file left by a
# killed node may name a pid since reused by something else (kill -0 alone would be fooled).
#   alive PIDFILE WORD...   (every WORD must appear in /proc/PID/cmdline)
alive() {
  local file="$1"; shift
  [ -f "$file" ] || return 1
  local pid cmd; pid="$(cat "$file")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  cmd="$(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null)" || return 1
  local word; for word in "$@"; do [[ "$cmd" == *"$word"* ]] || return 1; done
}
if ! alive "$HA_DIR/etcd.pid" etcd "$HA_DIR/etcd"; then
  # etcd 3.4 speaks the v3 API Patroni's etcd3 section uses.
  # The pid files hold etcd's and Patroni's own pids (exec), not runuser's: runuser kills its
  # child 2 s after passing on a SIGTERM, which would cut Patroni's stop of PostgreSQL short.
  "${as_postgres[@]}" setsid sh -c 'echo $$ > "$0"; exec "$@"' "$HA_DIR/etcd.pid" etcd --name e1 --data-dir "$HA_DIR/etcd" \
      --listen-client-urls "http://$etcd_url" --advertise-client-urls "http://$etcd_url" \
      --listen-peer-urls "http://127.0.0.1:$((HA_PORT + 21))" \
      --initial-advertise-peer-urls "http://127.0.0.1:$((HA_PORT + 21))" \
      --initial-cluster "e1=http://127.0.0.1:$((HA_PORT + 21))" \
      </dev/null >>"$HA_DIR/etcd.log" 2>&1 &
  sleep 0.5
  for _ in $(seq 100); do
    ETCDCTL_API=3 etcdctl --endpoints "$etcd_url" endpoint health >/dev/null 2>&1 && break
    sleep 0.2
  done
fi
for n in 1 2 3; do
  alive "$HA_DIR/n$n.pid" patroni "$HA_DIR/n$n.yml" && continue
  "${as_postgres[@]}" setsid sh -c 'echo $$ > "$0"; exec "$@"' "$HA_DIR/n$n.pid" patroni "$HA_DIR/n$n.yml" \
      </dev/null >>"$HA_DIR/n$n.log" 2>&1 &
  [ "$n" = 1 ] && sleep 3   # n1 initialises the cluster; the others then copy it
done

# A leader and a synchronous standby, all three running (the first start runs initdb and two
# base backups: up to a minute or two).
for _ in $(seq 300); do
  listing="$(patronictl -c "$HA_DIR/n1.yml" list -f json 2>/dev/null || true)"
  if python3 - "$listing" <<'PY'
import json, sys
try:
    members = json.loads(sys.argv[1])
except ValueError:
    sys.exit(1)
roles = [m.get("Role") for m in members]
running = [m for m in members if m.get("State") in ("running", "streaming")]
sys.exit(0 if "Leader" in roles and "Sync Standby" in roles and len(running) == 3 else 1)
PY
  then
    patronictl -c "$HA_DIR/n1.yml" list
    echo "postgresql://passage@127.0.0.1:$((HA_PORT + 1)),127.0.0.1:$((HA_PORT + 2)),127.0.0.1:$((HA_PORT + 3))/passage?target_session_attrs=read-write"
    exit 0
  fi
  sleep 1
done
patronictl -c "$HA_DIR/n1.yml" list >&2 || true
echo "no leader with a synchronous standby after 300 s: see $HA_DIR/n*.log" >&2
exit 1
