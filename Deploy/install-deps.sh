#!/usr/bin/env bash
# Installs the system packages Passage needs when they are missing: the PostgreSQL server
# (initdb, pg_ctl, pgcrypto), pgBackRest (passage backup and restore), libpq's headers for the CLibPQ target
# and libxlsxwriter's for CXLSXWriter, the small tools the
# tests drive the server with (a netcat that is not ours, jq), and Debian's Chromium with its
# chromedriver for the browser suite (Tests/Browser; only with --tests, as Deploy/test.sh
# calls it: a server needs no browser). Safe to run again: it only installs what is absent.
# Needs root for apt-get; as a normal user it only reports.
set -euo pipefail
for_tests=false
[ "${1:-}" = "--tests" ] && for_tests=true
# --ha: Patroni and etcd for the high-availability test cluster (Deploy/ha) and the failover
# drill; not in CI's default run (the drill takes minutes).
for_ha=false
[ "${1:-}" = "--ha" ] && for_ha=true

missing=()
have_server() { ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1; }
have_server || missing+=(postgresql postgresql-contrib)
pkg-config --exists libpq 2>/dev/null && [ -f /usr/include/postgresql/libpq-fe.h ] || missing+=(libpq-dev pkg-config)
# libxlsxwriter's headers for the CXLSXWriter target (the xlsx form of STATS, GAPS, exports and reports).
pkg-config --exists xlsxwriter 2>/dev/null && [ -f /usr/include/xlsxwriter.h ] || missing+=(libxlsxwriter-dev pkg-config)
command -v nc >/dev/null 2>&1 || missing+=(netcat-openbsd)
command -v jq >/dev/null 2>&1 || missing+=(jq)
command -v pgbackrest >/dev/null 2>&1 || missing+=(pgbackrest)   # passage backup/restore, the restore drill
command -v python3 >/dev/null 2>&1 || missing+=(python3)   # the crash, flood and outage drills
command -v pgbench >/dev/null 2>&1 || have_server || true
# The browser suite drives Debian's own Chromium through its chromedriver (nothing downloaded
# at run time); DejaVu Sans draws the Arabic pages of its screenshots.
if $for_tests; then
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
  [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
fi

if $for_ha; then
  command -v patroni >/dev/null 2>&1 || missing+=(patroni)
  command -v etcd >/dev/null 2>&1 || missing+=(etcd-server)
  command -v etcdctl >/dev/null 2>&1 || missing+=(etcd-client)
fi

# From PyPI: the statistics tests check exports with the field's own tools, libhxl (HXL
# parsing and validation), pycanon (k-anonymity, l-diversity) and openpyxl (the xlsx form opens
# and holds the CSV's numbers); the OpenAPI test validates
# the generated document with openapi-spec-validator; frictionless validates the provider
# directory's HSDS 3 data package (Tests/Python/check_hsds.py); the browser suite drives Chromium with
# selenium (pointed at Debian's chromium and chromedriver, its Selenium Manager never used).
python_packages=(libhxl pycanon openapi-spec-validator selenium openpyxl frictionless)
python_ready() {
  command -v python3 >/dev/null 2>&1 \
    && python3 -c 'import hxl, pycanon, openapi_spec_validator, selenium, openpyxl, frictionless' >/dev/null 2>&1
}
python_ready || { command -v python3 >/dev/null 2>&1 && python3 -m pip --version >/dev/null 2>&1; } || missing+=(python3 python3-pip)

install_python_tools() {
  python_ready && return 0
  # Debian marks its python as externally managed: --break-system-packages where pip knows it.
  local flags=()
  if python3 -m pip install --help 2>/dev/null | grep -q -- '--break-system-packages'; then flags+=(--break-system-packages); fi
  python3 -m pip install -q "${flags[@]}" "${python_packages[@]}" \
    || python3 -m pip install -q "${flags[@]}" --user "${python_packages[@]}"
  python_ready || { echo "${python_packages[*]} could not be installed for python3" >&2; exit 1; }
}

if [ ${#missing[@]} -eq 0 ]; then
  install_python_tools
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Passage needs these packages: ${missing[*]}" >&2
  echo "Install them as root: apt-get update && apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "installing: ${missing[*]}"
# Passage runs its own private clusters; Debian's default 'main' cluster would only sit on port 5432.
mkdir -p /etc/postgresql-common
if [ ! -f /etc/postgresql-common/createcluster.conf ] || ! grep -q '^create_main_cluster' /etc/postgresql-common/createcluster.conf; then
  echo "create_main_cluster = false" >> /etc/postgresql-common/createcluster.conf
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
install_python_tools
