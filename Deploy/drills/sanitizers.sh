#!/usr/bin/env bash
# Builds and runs the test suite under AddressSanitizer and ThreadSanitizer, each in its own
# scratch path (.build-asan, .build-tsan: full rebuilds, tens of minutes on two cores).
#   Deploy/drills/sanitizers.sh [address|thread ...]   (default: both, one after the other)
# The shell-script tests (NetcatShellTests) are skipped: they drive the normal debug binary,
# not a sanitized one, and so would test nothing new here.
set -euo pipefail
cd "$(dirname "$0")/../.."
source Deploy/swift-env.sh
export LSAN_OPTIONS="suppressions=$PWD/Deploy/drills/lsan-suppressions.txt:print_suppressions=0"
# ASan holds freed memory back (its quarantine, 256 MB by default) so that a use after free is
# caught; CopyTests bounds the resident growth of a 200,000-row COPY at 40 MiB, which the full
# quarantine alone can exceed (with 32 MB it grew by 44 MiB). 8 MB still catches uses of
# recently freed memory.
export ASAN_OPTIONS="quarantine_size_mb=8"
# Swift's backtracer would take the sanitizers' fatal signals first.
export SWIFT_BACKTRACE=enable=no
status=0
for sanitizer in "${@:-address thread}"; do
  for s in $sanitizer; do
    [ "$s" = address ] && scratch=.build-asan
    [ "$s" = thread ] && scratch=.build-tsan
    swift build --build-tests --sanitize="$s" --scratch-path "$scratch"
    log="$scratch/test.log"
    if swift test --skip-build --no-parallel --sanitize="$s" --scratch-path "$scratch" --skip NetcatShellTests >"$log" 2>&1; then
      result=pass
    else
      result=FAIL; status=1
    fi
    findings=$(grep -cE "^(==[0-9]+==ERROR|WARNING: ThreadSanitizer)" "$log" || true)
    echo "sanitizer $s: $result; $(grep -E '^. Test run with' "$log" | tail -1); sanitizer reports: $findings (log: $log)"
  done
done
exit $status
