#!/usr/bin/env bash
# Crash drill for REFER with idempotency keys: kill -9 of passage serve under 8 writing clients,
# then every acknowledged referral exists once and retries create no duplicate.
# Usage: refer-crash-drill.sh PATH/TO/passage [ITERATIONS]   (default 5; the long drill runs 100)
set -euo pipefail
exec python3 "$(dirname "$0")/refer_crash_drill.py" "${1:?usage: $0 PATH/TO/passage [ITERATIONS]}" "${2:-5}"
