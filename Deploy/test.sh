#!/usr/bin/env bash
# Runs every Passage test on a fresh machine: installs what is missing, builds, and runs
# `swift test`. The tests start their own throwaway PostgreSQL cluster and remove it at the end.
#
# The database-outage drill stops and restarts a PostgreSQL server; it runs on its own, after
# the rest. Run concurrently with the whole suite, tests that wait for another console server
# in the same process to close a connection were seen to stall until their time limit; the
# cause is not found yet (noted on the console issue). Alone it passes, and so does the rest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash Deploy/install-deps.sh
source Deploy/swift-env.sh
swift build --build-tests
swift test --skip-build --skip DatabaseOutageTests "$@"
swift test --skip-build --filter DatabaseOutageTests
