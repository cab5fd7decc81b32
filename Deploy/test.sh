#!/usr/bin/env bash
# Runs every Passage test on a fresh machine: installs what is missing, builds, and runs
# `swift test`. The tests start their own throwaway PostgreSQL cluster and remove it at the end.
#
# Tests run one at a time (--no-parallel, about 75 s here instead of 25 s). Run all at once on
# two cores, a test waiting for one of its console servers to close a connection was seen to
# stall until its time limit while database suites ran beside it — rarely, and only in the
# whole suite; the cause is not found yet (noted on the console issue). Pass --parallel to
# run them concurrently anyway.
set -euo pipefail
cd "$(dirname "$0")/.."
bash Deploy/install-deps.sh
source Deploy/swift-env.sh
swift build --build-tests
if [ "${1:-}" = "--parallel" ]; then
  shift
  swift test --skip-build "$@"
else
  swift test --skip-build --no-parallel "$@"
fi
