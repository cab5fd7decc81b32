#!/usr/bin/env bash
# Fuzzes the console's line framer + tokenizer and the case-facts decoder with libFuzzer.
#
#   Deploy/drills/fuzz.sh [SECONDS_PER_TARGET]     (default 60; CI uses the default)
#
# Builds the targets of Tests/Fuzz optimised (-c release: debug code runs ~50x slower under
# libFuzzer; preconditions still hold) with `-sanitize=fuzzer` in .build-fuzz (PASSAGE_FUZZ=1 makes
# Package.swift declare them; normal builds never see them), then runs each target for the
# given time from the seed corpus in Tests/Fuzz/corpus/<target>. Inputs libFuzzer finds
# interesting go to a working corpus under .build-fuzz (the repository keeps only the seeds);
# a crashing input is written to .build-fuzz/artifacts/ and the script fails, naming it.
# FUZZ_JOBS=N runs N fuzzing processes per target (libFuzzer -fork); default 1.
# FUZZ_PARALLEL=1 runs the two targets at the same time instead of one after the other.
# FUZZ_ONLY=framing|facts runs that target alone.
# Previous crashes are cleared at the start, so a run reports only what it found itself.
# Prints one summary line per target: executions, corpus size, crashes. The per-input timeout
# is 60 s of wall-clock time: at nice 19 on a loaded machine an input taking 9 ms of CPU once
# waited more than 10 s for it and was reported as a timeout.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-60}
jobs=${FUZZ_JOBS:-1}
source Deploy/swift-env.sh
PASSAGE_FUZZ=1 swift build -c release --scratch-path .build-fuzz -Xswiftc -sanitize=fuzzer \
  --product FramingFuzz >/dev/null
PASSAGE_FUZZ=1 swift build -c release --scratch-path .build-fuzz -Xswiftc -sanitize=fuzzer \
  --product FactsFuzz >/dev/null
bin=$(PASSAGE_FUZZ=1 swift build -c release --scratch-path .build-fuzz -Xswiftc -sanitize=fuzzer --show-bin-path)
# Swift's own backtracer would take the crash signal before libFuzzer could save the input.
export SWIFT_BACKTRACE=enable=no
rm -rf .build-fuzz/artifacts
# One target: run, then print its summary line; non-zero when it crashed or libFuzzer failed.
fuzz_target() {
  local name=$1 exe=$2
  local corpus=.build-fuzz/corpus/$name artifacts=.build-fuzz/artifacts/$name log=.build-fuzz/$name.log
  mkdir -p "$corpus" "$artifacts"
  local fork=(); [ "$jobs" -gt 1 ] && fork=(-fork="$jobs" -ignore_crashes=0)
  local rc=0
  "$bin/$exe" "$corpus" "Tests/Fuzz/corpus/$name" -max_total_time="$seconds" -max_len=16384 \
    -timeout=60 -rss_limit_mb=2048 -artifact_prefix="$artifacts/" -print_final_stats=1 "${fork[@]}" >"$log" 2>&1 || rc=$?
  local runs crashes entries
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | awk '{s+=$2} END {print s+0}')
  [ "$runs" = 0 ] && runs=$(grep -o '^#[0-9]*' "$log" | tail -1 | tr -d '#')
  mkdir -p "$artifacts"
  crashes=$(find "$artifacts" -type f \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
  entries=$(find "$corpus" -type f | wc -l)
  echo "fuzz $name: ${seconds}s executions=${runs:-?} corpus=$entries crashes=$crashes exit=$rc"
  if [ "$rc" -ne 0 ] || [ "$crashes" -ne 0 ]; then
    grep -E 'Fatal error|property violated|ERROR|SUMMARY' "$log" | head -5 || true
    find "$artifacts" -type f | head -5
    return 1
  fi
}

status=0
if [ -n "${FUZZ_ONLY:-}" ]; then
  case "$FUZZ_ONLY" in
    framing) fuzz_target framing FramingFuzz || status=1 ;;
    facts) fuzz_target facts FactsFuzz || status=1 ;;
    *) echo "FUZZ_ONLY must be framing or facts, not '$FUZZ_ONLY'" >&2; exit 2 ;;
  esac
elif [ -n "${FUZZ_PARALLEL:-}" ]; then
  # Both targets at once, each for the whole time (the documented one-hour run does this).
  fuzz_target framing FramingFuzz & a=$!
  fuzz_target facts FactsFuzz & b=$!
  wait "$a" || status=1
  wait "$b" || status=1
else
  fuzz_target framing FramingFuzz || status=1
  fuzz_target facts FactsFuzz || status=1
fi
exit $status
