#!/usr/bin/env bash
# Crash drill: 8 clients send REFER with their own idempotency keys while passage serve is
# killed with kill -9 at a random moment; after each restart every acknowledged referral exists
# once and retrying the unacknowledged ones creates no duplicate.
#   Deploy/drills/crash.sh [ITERATIONS]   (default 100; the test suite runs 5)
source "$(dirname "$0")/common.sh"
exec python3 Tests/Shell/refer_crash_drill.py "$passage" "${1:-100}"
