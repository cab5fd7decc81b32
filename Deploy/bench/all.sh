#!/usr/bin/env bash
# Every figure of Docs/performance.md in one run on this machine, each beside its anchor.
set -euo pipefail
cd "$(dirname "$0")"
bash classify.sh
PASSAGE_BENCH_NO_BUILD=1 bash import.sh
PASSAGE_BENCH_NO_BUILD=1 bash primary-key.sh
PASSAGE_BENCH_NO_BUILD=1 bash ping.sh
PASSAGE_BENCH_NO_BUILD=1 bash memory.sh
PASSAGE_BENCH_NO_BUILD=1 bash stats.sh
PASSAGE_BENCH_NO_BUILD=1 bash refer.sh
PASSAGE_BENCH_NO_BUILD=1 bash http.sh
# The longest: a million synthetic cases loaded twice (passage demo, psql \copy) and every GAPS kind.
PASSAGE_BENCH_NO_BUILD=1 bash gaps.sh
# A million stored cases classified again while the server answers CASE SHOW (give V1_PASSAGE for
# real version-1 results: Docs/performance.md "Reclassification").
PASSAGE_BENCH_NO_BUILD=1 bash reclassify.sh
# The web pages at a million cases (loads its own unless DATA_DIR names a loaded one).
PASSAGE_BENCH_NO_BUILD=1 bash pages.sh
