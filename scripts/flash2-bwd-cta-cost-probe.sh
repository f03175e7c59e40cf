#!/usr/bin/env bash
# What does one CTA of flash2's backward cost beside its query-block iterations? The backward
# pass with the keys fixed at 16384 (the same CTAs: batch 2 x 16 heads x 16384 / block_n) and
# 1..32 query blocks per CTA (seq_q 128..4096 at block_m 128), split by scripts/lib/iteration_probe.sh.
# Compare with `flashscope simulate` of the same problems.
# Run on a GPU machine after a `gpu` preset build: OUT=dir scripts/flash2-bwd-cta-cost-probe.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/scripts/lib/iteration_probe.sh"
out=${OUT:-$root/build/flash2-bwd-cta-cost}
mkdir -p "$out"
iteration_probe flash2 bwd seq_q 16384 "64 128x128x8x2" "64 64x64x4x2" "128 64x128x8x2" -- \
  128 256 512 1024 2048 4096 | tee "$out/flash2-bwd-cta-cost.txt"
