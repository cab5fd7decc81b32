#!/usr/bin/env bash
# The embedded cluster survives crashes of passage serve and of PostgreSQL itself:
#   1. kill -9 of passage serve: the orphaned postmaster is adopted by the next start;
#   2. kill -9 of serve and of the postmaster (stale postmaster.pid): the next start recovers;
#   3. SIGTERM: serve stops the cluster cleanly;
#   4. a taken port: a clear error, and the cluster is stopped again;
#   5. as root, the same binary also runs as an unprivileged user (nobody).
# A case acknowledged before each crash is still there afterwards.
# Usage: serve-crash-restart.sh PATH/TO/passage PATH/TO/Schema
set -euo pipefail
passage=${1:?usage: $0 PATH/TO/passage PATH/TO/Schema}
schema=${2:?usage: $0 PATH/TO/passage PATH/TO/Schema}
dir=$(mktemp -d /tmp/passage-crash-XXXXXX)
# A port the kernel just handed out is free; one drawn at random may be some connection's local
# port ("Address already in use").
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port)
pid=""
pgbin=$(pg_config --bindir 2>/dev/null || ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() {
  [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true
  as_pg "$pgbin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir" "$dir.log"
}
[ -n "${KEEP:-}" ] || trap cleanup EXIT
fail() { echo "FAIL: $1"; tail -20 "$dir.log" 2>/dev/null; exit 1; }

start_serve() {
  "$passage" serve --data-dir "$dir" --port "$port" --demo >"$dir.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 120); do
    nc -z 127.0.0.1 "$port" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || fail "passage serve exited on start ($1)"
    sleep 0.5
  done
  fail "passage serve did not listen ($1)"
}
console() { printf 'AUTH demo-caseworker demo-caseworker-pass\n%s\nQUIT\n' "$1" | nc 127.0.0.1 "$port" | tr -d '\r'; }

start_serve "first start"
console 'CASE NEW {"ref":"before-crash","current_country":"DE"}' | grep -q '^250 case=301 ' || fail "CASE NEW before the crash (expected case 301 after 300 demo cases)"

kill -9 "$pid"; wait "$pid" 2>/dev/null || true
as_pg "$pgbin/pg_ctl" -D "$dir/data" status >/dev/null || fail "the postmaster should outlive a kill -9 of passage serve"
start_serve "after kill -9 of serve"
console 'CASE SHOW 301' | grep -q 'before-crash' || fail "case lost after kill -9 of serve"

postmaster=$(head -1 "$dir/data/postmaster.pid")
kill -9 "$pid" "$postmaster"; wait "$pid" 2>/dev/null || true
for _ in $(seq 1 40); do pgrep -u postgres -f "$dir/data" >/dev/null 2>&1 || break; sleep 0.25; done
[ -f "$dir/data/postmaster.pid" ] || fail "expected a stale postmaster.pid"
start_serve "after kill -9 of serve and postgres"
console 'CASE SHOW 301' | grep -q 'before-crash' || fail "case lost after kill -9 of postgres"

kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; pid=""
grep -q "passage stopped" "$dir.log" || fail "no clean stop on SIGTERM"
if as_pg "$pgbin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then fail "cluster still running after SIGTERM"; fi

# A port already taken: serve says so, exits non-zero, and leaves no cluster running.
taken=$(free_port)
python3 -c "import socket,sys,time; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('127.0.0.1', int(sys.argv[1]))); s.listen(); time.sleep(60)" "$taken" &
blocker=$!
for _ in $(seq 1 40); do nc -z 127.0.0.1 "$taken" 2>/dev/null && break; sleep 0.25; done
nc -z 127.0.0.1 "$taken" 2>/dev/null || fail "could not take port $taken for the test"
# SIGKILL: a test runner may start us with SIGTERM blocked, and the blocker would inherit that.
if timeout -s KILL 60 "$passage" serve --data-dir "$dir" --port "$taken" >"$dir.log" 2>&1; then kill -9 "$blocker"; fail "serve started on a taken port"; fi
kill -9 "$blocker" 2>/dev/null || true
grep -q "cannot listen on 127.0.0.1:$taken" "$dir.log" || fail "no clear message for a taken port"
if as_pg "$pgbin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then fail "cluster left running after a failed start"; fi

if [ "$(id -u)" -eq 0 ]; then
  # A normal user: its own copy of the binary and schema in a directory it can read.
  home=$(mktemp -d /tmp/passage-nonroot-XXXXXX)
  cp "$passage" "$home/passage"; cp -r "$schema" "$home/Schema"; chmod -R a+rX "$home"
  install -d -o nobody "$home/work"
  out=$(runuser -u nobody -- env PASSAGE_SCHEMA_DIR="$home/Schema" "$home/passage" migrate --data-dir "$home/work/cluster" 2>&1) \
    || { rm -rf "$home"; echo "$out"; fail "passage migrate as nobody"; }
  owner=$(stat -c %U "$home/work/cluster/data")
  rm -rf "$home"
  echo "$out" | grep -q "now at version" || fail "migrate as nobody did not apply the schema: $out"
  [ "$owner" = "nobody" ] || fail "a non-root cluster should belong to its user, not $owner"
fi
echo "serve-crash-restart: ok"
