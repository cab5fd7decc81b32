#!/usr/bin/env bash
# Database outage drill: PostgreSQL crashed (pg_ctl stop -m immediate) and restarted under
# load; only 451 meanwhile, service again within 5 s, nothing acknowledged lost, no leaked
# connection.
#   Deploy/drills/outage.sh [ROUNDS]   (default 3)
source "$(dirname "$0")/common.sh"
exec python3 Deploy/drills/outage_drill.py "$passage" "${1:-3}"
