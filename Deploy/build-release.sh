#!/usr/bin/env bash
# The deployment build of passage: release, the Swift standard library linked statically (one
# self-contained binary), linked by lld with packed relative relocations (DT_RELR; glibc 2.36+,
# Debian 12). The binary stays position-independent (ASLR), but its 97,000 relocations take
# 19 KB instead of 2.3 MB that every start had to read: about 4 MiB less resident memory
# (Docs/performance.md "Memory").
# The benchmarks' load drivers, passage-bench (Deploy/bench/), are built the same way beside it: they
# are not part of the product, but are measured against the same build.
#   Deploy/build-release.sh [SCRATCH_PATH]      (default .build-static; binaries: SCRATCH_PATH/release/passage
#                                                and SCRATCH_PATH/release/passage-bench)
set -euo pipefail
cd "$(dirname "$0")/.."
source Deploy/swift-env.sh
for product in passage passage-bench; do
  swift build -c release --product "$product" --static-swift-stdlib --scratch-path "${1:-.build-static}" \
    -Xswiftc -use-ld=lld -Xlinker -z -Xlinker pack-relative-relocs
done
