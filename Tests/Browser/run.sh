#!/usr/bin/env bash
# Runs the browser end-to-end suite (Tests/Browser/e2e.py): the built `passage serve --demo`
# driven by Debian's headless Chromium through Selenium. Builds nothing: Deploy/test.sh (or
# `swift build`) builds first. The binary is $PASSAGE_BIN, else .build/debug/passage; other
# arguments go to e2e.py (--screenshots DIR, default Docs/screenshots; --keep).
set -euo pipefail
cd "$(dirname "$0")/../.."
bin="${PASSAGE_BIN:-.build/debug/passage}"
if [ ! -x "$bin" ]; then
  echo "browser suite: $bin is not built (run swift build, or set PASSAGE_BIN)" >&2
  exit 2
fi
exec python3 Tests/Browser/e2e.py --passage "$bin" "$@"
