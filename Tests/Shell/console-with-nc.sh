#!/usr/bin/env bash
# Drives a real `passage serve` with netcat, a client that is not ours: greeting, PING, QUIT,
# then a pipelined session. Usage: console-with-nc.sh PATH/TO/passage
set -euo pipefail
passage=${1:?usage: $0 PATH/TO/passage}
dir=$(mktemp -d /tmp/passage-nc-XXXXXX)
# A port the kernel just handed out is free; one drawn at random may be some connection's local
# port ("Address already in use").
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
port=$(free_port)
"$passage" serve --data-dir "$dir" --port "$port" --demo >"$dir.log" 2>&1 &
pid=$!
cleanup() { kill -TERM "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$dir" "$dir.log"; }
trap cleanup EXIT

for _ in $(seq 1 120); do
  if nc -z 127.0.0.1 "$port" 2>/dev/null; then break; fi
  kill -0 "$pid" 2>/dev/null || { echo "passage serve exited early:"; cat "$dir.log"; exit 1; }
  sleep 0.5
done

fail() { echo "FAIL: $1"; echo "--- got:"; printf '%s\n' "$2"; exit 1; }

# The issue's own check: greeting, 250 PONG, 221.
out=$(printf 'PING\r\nQUIT\r\n' | nc 127.0.0.1 "$port" | tr -d '\r')
# `passage --version` says "passage 0.1.0 (schema …, classifier …)"; the greeting names the version.
[ "$(printf '%s\n' "$out" | sed -n 1p)" = "220 passage $("$passage" --version | awk '{print $2}') ready" ] || fail "greeting" "$out"
[ "$(printf '%s\n' "$out" | sed -n 2p)" = "250 PONG" ] || fail "PING" "$out"
printf '%s\n' "$out" | sed -n 3p | grep -q '^221 ' || fail "QUIT" "$out"

# Pipelined: every request sent at once, replies in order.
out=$(printf 'AUTH demo-caseworker demo-caseworker-pass\nCASE NEW {"ref":"nc-1","nationality":"SY","current_country":"DE","asylum":"applied"}\nCASE NEW ref=nc-2 current_country=ZZ\nFORMAT json\nWHOAMI\nQUIT\n' \
  | nc 127.0.0.1 "$port" | tr -d '\r')
printf '%s\n' "$out" | grep -q '^250 signed in user=demo-caseworker role=caseworker' || fail "AUTH" "$out"
printf '%s\n' "$out" | grep -q '^250 case=[0-9]* version=1 primary=refugee_asylum$' || fail "CASE NEW" "$out"
printf '%s\n' "$out" | grep -q '^501 current_country' || fail "501 names the key" "$out"
printf '%s\n' "$out" | grep -q '^250 {.*"user":"demo-caseworker"' || fail "FORMAT json" "$out"
order=$(printf '%s\n' "$out" | cut -c1-3 | tr '\n' ' ')
[ "$order" = "220 250 250 501 250 250 221 " ] || fail "reply order ($order)" "$out"
echo "console-with-nc: ok"
