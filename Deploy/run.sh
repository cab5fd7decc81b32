#!/usr/bin/env bash
# Runs the Passage service on a fresh machine: installs what is missing, builds, and starts
# `passage serve` on its own embedded PostgreSQL in ./.passage, with demo data and one demo
# user per role. Extra arguments go to `passage serve` (try --help).
set -euo pipefail
cd "$(dirname "$0")/.."
bash Deploy/install-deps.sh
source Deploy/swift-env.sh
swift build --product passage
exec .build/debug/passage serve --demo "$@"
