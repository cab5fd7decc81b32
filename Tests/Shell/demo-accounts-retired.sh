#!/usr/bin/env bash
# Issue 16, item 10: demo accounts do not survive into a start without --demo. `serve --demo`
# makes demo-admin & co. with published passwords; the next `serve` without --demo must disable
# them, say so in its log naming them, and audit it; `serve --demo` again brings them back.
# Usage: demo-accounts-retired.sh PATH/TO/passage CONNINFO PATH/TO/Schema
set -euo pipefail
passage=${1:?usage: $0 PATH/TO/passage CONNINFO PATH/TO/Schema}
conninfo=${2:?usage: $0 PATH/TO/passage CONNINFO PATH/TO/Schema}
schema=${3:?usage: $0 PATH/TO/passage CONNINFO PATH/TO/Schema}
# With --database-url the personal-data key comes from the environment.
export PASSAGE_PII_KEY=${PASSAGE_PII_KEY:-demo-accounts-retired-test-key-0123456789}
log=$(mktemp /tmp/passage-demo-retired-XXXXXX)
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -f "$log"
}
trap cleanup EXIT
fail() { echo "FAIL: $1"; echo "--- log:"; tail -30 "$log"; exit 1; }

start_serve() { # $1: description, then extra options
  local what=$1; shift
  port=$(free_port)
  "$passage" serve --database-url "$conninfo" --schema-dir "$schema" --port "$port" --gaps-refresh 0 "$@" >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 120); do
    nc -z 127.0.0.1 "$port" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || fail "passage serve exited on start ($what)"
    sleep 0.5
  done
  fail "passage serve did not listen ($what)"
}
stop_serve() { kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; pid=""; }
sign_in() { printf 'AUTH %s %s\nQUIT\n' "$1" "$2" | nc 127.0.0.1 "$port" | tr -d '\r' | sed -n 2p; }
sql() { psql "$conninfo" -qAtX -c "$1"; }

start_serve "with --demo" --demo
sign_in demo-admin demo-admin-pass | grep -q '^250 signed in' || fail "demo-admin cannot sign in under --demo"
stop_serve

start_serve "without --demo"
reply=$(sign_in demo-admin demo-admin-pass)
case "$reply" in 250*) fail "demo-admin still signs in without --demo: $reply" ;; esac
reply=$(sign_in demo-caseworker demo-caseworker-pass)
case "$reply" in 250*) fail "demo-caseworker still signs in without --demo: $reply" ;; esac
grep -iE 'warning|notice' "$log" | grep -q 'demo-admin' || fail "no warning naming the demo accounts in the log"
grep -iE 'warning|notice' "$log" | grep -q 'demo-caseworker' || fail "the warning does not name every demo account"
[ "$(sql "SELECT count(*) FROM users WHERE name LIKE 'demo-%' AND NOT disabled")" = 0 ] || fail "a demo account is still enabled"
audited=$(sql "SELECT count(*) FROM audit_log WHERE action = 'user.demo_disabled' AND subject LIKE 'user:demo-%'")
[ "$audited" = 5 ] || fail "expected 5 audit entries for the disabled demo accounts, found $audited"
stop_serve

# Once disabled, a later start has nothing to do and says nothing about them.
start_serve "again without --demo"
grep -q 'demo-admin' "$log" && fail "a second start without --demo disabled the demo accounts again"
stop_serve

# --demo again: the accounts work again with their published passwords (loopback only).
start_serve "with --demo again" --demo
sign_in demo-admin demo-admin-pass | grep -q '^250 signed in' || fail "demo-admin cannot sign in under --demo after being disabled"
stop_serve
echo "demo-accounts-retired: ok"
