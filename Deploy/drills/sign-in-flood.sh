#!/usr/bin/env bash
# Sign-in flood drill: a caseworker's latency while AUTH lines with wrong passwords pour in,
# with the default limit on password checks running at once and with (almost) none.
#   Deploy/drills/sign-in-flood.sh
source "$(dirname "$0")/common.sh"
exec python3 Deploy/drills/sign_in_flood_drill.py "$passage"
