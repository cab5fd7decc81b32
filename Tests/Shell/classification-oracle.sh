#!/usr/bin/env bash
# passage classify against an independent oracle written from the contract's text alone
# (Tests/Python/classification_oracle.py): random valid case facts, every result byte for byte.
# Usage: classification-oracle.sh PATH/TO/passage [SEED [COUNT]]
set -euo pipefail
passage=${1:?usage: $0 PATH/TO/passage [SEED [COUNT]]}
tests=$(cd "$(dirname "$0")/.." && pwd)
python3 "$tests/Python/classification_oracle.py" "$passage" "${2:-12}" "${3:-20000}"
