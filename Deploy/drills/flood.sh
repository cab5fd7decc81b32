#!/usr/bin/env bash
# Flood drill: rounds of 5,000 concurrent connection attempts beside signed-in sessions and
# slowloris clients; the limit holds, sessions keep working, slow clients are cut, and the
# server's memory (VmRSS) stays bounded from round to round.
#   Deploy/drills/flood.sh [ROUNDS]   (default 3)
source "$(dirname "$0")/common.sh"
exec python3 Deploy/drills/flood_drill.py "$passage" "${1:-3}"
