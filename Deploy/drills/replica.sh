#!/usr/bin/env bash
# Replica drill (Docs/reliability.md, "Read replica"): the Patroni test cluster of Deploy/ha
# (its own directory and ports, started if not running), `passage serve` with the multi-host
# URL for writes and --read-database-url on the asynchronous standby, REFER from 4 clients,
# and STATS and GAPS from a policy client: answered on the standby with the lag shown; replay
# paused beyond --read-max-lag, then the standby stopped: answered by the primary (fallback)
# on one server, refused with 451 on a second one started with --read-lag-policy refuse.
#   Deploy/drills/replica.sh   (needs Deploy/install-deps.sh --ha; about 2 minutes)
source "$(dirname "$0")/common.sh"
export HA_DIR="${HA_DIR:-/tmp/phr}" HA_PORT="${HA_PORT:-55530}"
Deploy/ha/start.sh >/dev/null
exec python3 Deploy/drills/replica_drill.py "$passage"
