#!/usr/bin/env bash
# The package's installation test (CI: Deploy/test.sh): builds the .deb, verifies its systemd
# unit, installs it with dpkg on this machine, starts the service's command exactly as the unit's
# ExecStart does — as the passage user, without capabilities or new privileges, its environment,
# NOTIFY_SOCKET awaited for READY=1 — with TLS on loopback, signs in over TLS, stops it, purges
# the package. Needs root. It refuses to run where passage is installed or /var/lib/passage
# exists (it would purge them), and removes what it created: safe on a CI machine and on a
# developer's. systemd need not be running (it is not PID 1 in containers): nothing here asks it.
# (No pipeline ends early, as `grep -q` would: under pipefail the writer's SIGPIPE would fail it.)
set -euo pipefail
cd "$(dirname "$0")/../.."
[ "$(id -u)" -eq 0 ] || { echo "Deploy/package/test.sh needs root (dpkg -i)" >&2; exit 1; }
if dpkg -s passage >/dev/null 2>&1 || [ -e /var/lib/passage ] || [ -e /etc/passage ] || [ -e /var/lib/passage-backup ]; then
  echo "Deploy/package/test.sh: passage is installed here, or /var/lib/passage or /etc/passage exists; it installs and purges the package, so it stops" >&2
  exit 1
fi
started=$(date +%s)
user_existed=$(getent passwd passage >/dev/null && echo yes || echo no)
work=$(mktemp -d /tmp/passage-package-test.XXXXXX)
server=""
receiver=""
cleanup() {
  status=$?
  [ -n "$server" ] && kill -TERM "$server" 2>/dev/null && wait "$server" 2>/dev/null || true
  [ -n "$receiver" ] && kill "$receiver" 2>/dev/null || true
  # A cluster left behind by a failed start is stopped before its directory goes.
  if [ -f /var/lib/passage/data/postmaster.pid ]; then
    runuser -u passage -- "$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/pg_ctl" -D /var/lib/passage/data stop -m immediate >/dev/null 2>&1 || true
  fi
  dpkg --purge passage >/dev/null 2>&1 || true
  rm -rf /var/lib/passage /var/lib/passage-backup /etc/passage "$work"
  [ "$user_existed" = yes ] || userdel passage 2>/dev/null || true
  [ $status -eq 0 ] || { echo "package test FAILED; server log:" >&2; cat "$work/serve.log" 2>/dev/null >&2 || true; }
  exit $status
}
trap cleanup EXIT
step() { echo "== $* ($(($(date +%s) - started)) s)"; }
export DEBIAN_FRONTEND=noninteractive
# The tools it drives the package with, installed when missing (a CI machine starts clean).
apt_install() {
  [ -n "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v lock)" ] || apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "$@" >/dev/null
}
missing=()
command -v systemd-analyze >/dev/null || missing+=(systemd)
command -v openssl >/dev/null || missing+=(openssl)
command -v curl >/dev/null || missing+=(curl)
command -v python3 >/dev/null || missing+=(python3)
command -v setpriv >/dev/null || missing+=(util-linux)
command -v pgbackrest >/dev/null || missing+=(pgbackrest)   # recommended by the package: the backup steps
[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"

step "building the package"
deb=$(bash Deploy/package/build.sh .build-package | tail -1)
built=$(date +%s)
ls -l "$deb"
dpkg-deb --info "$deb" | sed -n 's/^ *\(Depends\|Installed-Size\|Version\):/  \1:/p'

step "installing it (dpkg -i, apt-get -f for its dependencies)"
if ! dpkg -i "$deb" >"$work/dpkg.log" 2>&1; then
  [ -n "$(ls -A /var/lib/apt/lists 2>/dev/null | grep -v lock)" ] || apt-get update -q >/dev/null
  apt-get install -f -y -q --no-install-recommends >>"$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log" >&2; exit 1; }
fi
dpkg -s passage | grep '^Status: install ok installed' >/dev/null || { cat "$work/dpkg.log" >&2; exit 1; }
grep 'passage:' "$work/dpkg.log" || true

step "checking what it installed"
check() { [ "$2" = "$3" ] || { echo "$1: expected '$3', found '$2'" >&2; exit 1; }; }
check "the key's owner and mode" "$(stat -c '%U %a' /etc/passage/pii.key)" "passage 600"
check "the key's length" "$(tr -d '\n' < /etc/passage/pii.key | wc -c)" "64"
check "the data directory's owner and mode" "$(stat -c '%U %a' /var/lib/passage)" "passage 700"
check "the backup configuration's owner and mode" "$(stat -c '%U %a' /etc/passage/backup.conf)" "passage 600"
check "the backup repository's owner and mode" "$(stat -c '%U %a' /var/lib/passage-backup)" "passage 700"
check "/etc/passage's owner, group and mode" "$(stat -c '%U %G %a' /etc/passage)" "root passage 750"
check "the conffile" "$(dpkg-query -W -f='${Conffiles}' passage | awk 'NF {print $1}')" "/etc/passage/passage.conf"
check "the passage user's shell" "$(getent passwd passage | cut -d: -f7)" "/usr/sbin/nologin"
/usr/bin/passage --version | grep -E '^passage [0-9.]+ \(schema [0-9]+, classifier ' >/dev/null || { echo "passage --version: $(/usr/bin/passage --version)" >&2; exit 1; }
/usr/bin/passage --version

step "systemd-analyze verify"
unit=/lib/systemd/system/passage.service
systemd-analyze verify "$unit" 2>&1 | tee "$work/verify.log"
if grep -q "passage.service" "$work/verify.log"; then echo "systemd-analyze verify found problems in the unit" >&2; exit 1; fi
systemd-analyze verify /lib/systemd/system/passage-backup.service /lib/systemd/system/passage-backup.timer 2>&1 | tee "$work/verify-backup.log"
if grep -q "passage-backup" "$work/verify-backup.log"; then echo "systemd-analyze verify found problems in the backup units" >&2; exit 1; fi
systemd-analyze security --offline=true "$unit" 2>/dev/null | tail -1 || true
# The hardening Docs/operations.md promises, line by line: none may go missing unnoticed.
for directive in Type=notify User=passage ProtectSystem=strict ReadWritePaths=/var/lib/passage NoNewPrivileges=yes \
  PrivateTmp=yes ProtectHome=yes CapabilityBoundingSet= AmbientCapabilities= Restart=on-failure \
  "RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6"; do
  grep -qxF "$directive" "$unit" || { echo "the unit lacks $directive" >&2; exit 1; }
done

step "setting up backups as the service's user (before the first start: WAL archiving from the start)"
runuser -u passage -- /usr/bin/passage backup setup >"$work/backup-setup.log" 2>&1 || { cat "$work/backup-setup.log" >&2; exit 1; }
grep -q "WAL archiving works" "$work/backup-setup.log" || { cat "$work/backup-setup.log" >&2; exit 1; }
check "the archive settings' owner" "$(stat -c %U /var/lib/passage/data/passage.conf.d/backup.conf)" "passage"

step "starting the service's command as the unit would (ExecStart, User=passage, no capabilities, TLS on loopback)"
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
check "the unit's user" "$(sed -n 's/^User=//p' "$unit")" "passage"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=localhost \
  -addext subjectAltName=IP:127.0.0.1,DNS:localhost -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
chmod 0755 "$work"
chown passage: "$work/key.pem" && chmod 0600 "$work/key.pem"
port=$((20000 + RANDOM % 20000))
http_port=$((port + 1))
# systemd's NOTIFY_SOCKET: a datagram socket that waits for READY=1 (and records STOPPING=1).
python3 - "$work/notify" "$work/notifications" <<'PY' &
import socket, sys, os
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1]); os.chmod(sys.argv[1], 0o666)
with open(sys.argv[2], "a", buffering=1) as out:
    while True:
        out.write(s.recv(4096).decode().replace("\n", " ") + "\n")
PY
receiver=$!
for _ in $(seq 50); do [ -S "$work/notify" ] && break; sleep 0.1; done
# The environment systemd gives a User= service, the listeners' settings as PASSAGE_* variables
# over the file's (data-dir and pii-key-file come from /etc/passage/passage.conf).
(
  cd /var/lib/passage
  exec env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/var/lib/passage USER=passage LOGNAME=passage SHELL=/usr/sbin/nologin \
    NOTIFY_SOCKET="$work/notify" \
    PASSAGE_PORT=$port PASSAGE_HTTP_PORT=$http_port \
    PASSAGE_TLS_CERT="$work/cert.pem" PASSAGE_TLS_KEY="$work/key.pem" \
    setpriv --reuid=passage --regid=passage --init-groups --no-new-privs \
    --bounding-set=-all --inh-caps=-all -- $exec_start
) >"$work/serve.log" 2>&1 &
server=$!
for _ in $(seq 1200); do
  grep -q '^READY=1' "$work/notifications" 2>/dev/null && break
  kill -0 "$server" 2>/dev/null || { echo "passage serve exited before it was ready" >&2; exit 1; }
  sleep 0.1
done
grep '^READY=1' "$work/notifications" || { echo "no READY=1 within 120 s" >&2; exit 1; }
grep -q "listening on 127.0.0.1:$port (TLS)" "$work/serve.log"
grep -q "data directory: /var/lib/passage" "$work/serve.log"
check "the server's user" "$(ps -o user= -p "$server" | tr -d ' ')" "passage"
check "the cluster's user" "$(stat -c %U /var/lib/passage/data/PG_VERSION)" "passage"
# Nothing in the data directory is the key: it stays in /etc/passage.
[ ! -e /var/lib/passage/pii.key ] || { echo "a personal-data key was made in the data directory" >&2; exit 1; }
check "/readyz over HTTPS" "$(curl -s --cacert "$work/cert.pem" -o /dev/null -w '%{http_code}' "https://127.0.0.1:$http_port/readyz")" "200"

step "signing in over TLS"
# root is refused the service's data directory (it would hand the cluster to postgres) ...
if /usr/bin/passage user list >"$work/root.log" 2>&1; then echo "root was allowed the service's data directory" >&2; exit 1; fi
grep -q "belongs to passage" "$work/root.log" || { cat "$work/root.log" >&2; exit 1; }
# ... the service's user adds the first administrator beside the running server (the data
# directory from the configuration file), who signs in over TLS.
password="package-test-$RANDOM-$RANDOM"
echo "$password" | runuser -u passage -- /usr/bin/passage user add package-admin --role admin --password-stdin >/dev/null
reply=$(PASSAGE_PASSWORD="$password" /usr/bin/passage console --host 127.0.0.1 --port "$port" \
  --tls-ca "$work/cert.pem" --user package-admin -c WHOAMI)
echo "$reply"
grep -q '^250 .*package-admin' <<<"$reply" || { echo "WHOAMI over TLS: $reply" >&2; exit 1; }
# Without TLS the console does not answer in plain text.
if echo PING | timeout 5 nc -q 2 127.0.0.1 "$port" 2>/dev/null | grep '^220' >/dev/null; then
  echo "the console greeted a plain-text client" >&2; exit 1
fi

step "a full backup beside the running server (the passage-backup.service's command)"
runuser -u passage -- $(sed -n 's/^ExecStart=//p' /lib/systemd/system/passage-backup.service) --full >"$work/backup.log" 2>&1 \
  || { cat "$work/backup.log" >&2; exit 1; }
grep "^backup .* (full)" "$work/backup.log"
runuser -u passage -- /usr/bin/passage backup list | grep -q "full .*(the key at hand)" \
  || { runuser -u passage -- /usr/bin/passage backup list >&2; exit 1; }

step "stopping it (SIGTERM, as systemctl stop does)"
kill -TERM "$server"
wait "$server" || { echo "passage serve exited with status $?" >&2; exit 1; }
server=""
grep -q '^STOPPING=1' "$work/notifications" || { echo "no STOPPING=1" >&2; exit 1; }
grep -q "passage stopped" "$work/serve.log"
[ ! -f /var/lib/passage/data/postmaster.pid ] || { echo "the cluster still runs after the stop" >&2; exit 1; }

step "purging it"
dpkg --purge passage >"$work/purge.log" 2>&1 || { cat "$work/purge.log" >&2; exit 1; }
[ ! -e /usr/bin/passage ] && [ ! -e /etc/passage/passage.conf ] && [ ! -e "$unit" ] \
  || { echo "the purge left files of the package behind" >&2; exit 1; }
# The data and its key are the organisation's records: a purge keeps them (removed here below).
[ -e /var/lib/passage/data/PG_VERSION ] && [ -e /etc/passage/pii.key ] \
  || { echo "the purge removed the data or its key" >&2; exit 1; }
step "passed: package built in $((built - started)) s, installed, served, signed in and purged in $(($(date +%s) - built)) s"
