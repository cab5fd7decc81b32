#!/usr/bin/env bash
# Runs every Passage test on a fresh machine: installs what is missing, builds, and runs
# `swift test`. The tests start their own throwaway PostgreSQL cluster and remove it at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
bash Deploy/install-deps.sh
source Deploy/swift-env.sh
swift build --build-tests
swift test --skip-build "$@"
