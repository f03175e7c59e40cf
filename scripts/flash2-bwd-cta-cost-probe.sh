#!/usr/bin/env bash
# What does one CTA of flash2's backward cost beside its query-block iterations? Times the
# backward pass (`flashscope bench`, CUDA events, L2 flushed, median of 20) with the keys fixed at
# 16384 (the same CTAs: batch 2 x 16 heads x 16384 / block_n) and 1..32 query blocks per CTA
# (seq_q 128..4096 at block_m 128): time against query blocks is a line whose intercept is the
# CTAs' fixed cost (prologue, epilogue, start) and whose slope is one iteration's. Prints one
# line per tile and seq_q; compare with `flashscope simulate` of the same problems.
# Run on a GPU machine after a `gpu` preset build: OUT=dir scripts/flash2-bwd-cta-cost-probe.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin=${FLASHSCOPE_BIN:-$root/build/gpu/cli/flashscope}
out=${OUT:-$root/build/flash2-bwd-cta-cost}
mkdir -p "$out"
{
  echo "head_dim tile seq_q seq_k bwd_pass_us"
  for case in "64 128x128x8x2" "64 64x64x4x2" "128 64x128x8x2"; do
    read -r d tile <<<"$case"
    for sq in 128 256 512 1024 2048 4096; do
      us=$("$bin" bench --algo flash2 --pass bwd --batch 2 --heads 16 --seq "$sq" --seq-k 16384 \
             --head-dim "$d" --tile "$tile" --format json |
           python3 -c 'import json,sys; print("%.1f" % (json.load(sys.stdin)[0]["median_ms"] * 1e3))')
      echo "$d $tile $sq 16384 $us"
    done
  done
} | tee "$out/flash2-bwd-cta-cost.txt"
