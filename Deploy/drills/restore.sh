#!/usr/bin/env bash
# Restore drill: backup under REFER load (pgBackRest, encrypted repository), the data
# directory destroyed, restore to the newest state (every acknowledged referral, the audit
# chain intact) and to a point in time between two known referrals (Docs/reliability.md,
# "Backup and restore"). Needs pgbackrest (apt-get install -y pgbackrest).
#   Deploy/drills/restore.sh [CASES]   (default 2000; 1000000 for the figures)
source "$(dirname "$0")/common.sh"
command -v pgbackrest >/dev/null || { echo "restore drill: pgbackrest is not installed (apt-get install -y pgbackrest)" >&2; exit 1; }
exec python3 Deploy/drills/restore_drill.py "$passage" "${1:-2000}"
