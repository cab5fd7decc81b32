#!/usr/bin/env bash
# Failover drill (Docs/reliability.md, "Failover"): the Patroni test cluster of Deploy/ha
# (started if not running), `passage serve` on its multi-host URL, REFER from 4 clients, and
# KILLS times: kill -9 of the primary's postmaster, Patroni promotes the synchronous standby,
# the old primary rejoins as a standby (pg_rewind) before the next kill.
#   Deploy/drills/failover.sh [KILLS]   (default 20; needs Deploy/install-deps.sh --ha)
source "$(dirname "$0")/common.sh"
HA_DIR="${HA_DIR:-/tmp/pha}" HA_PORT="${HA_PORT:-55430}" Deploy/ha/start.sh >/dev/null
exec python3 Deploy/drills/failover_drill.py "$passage" "${1:-20}"
