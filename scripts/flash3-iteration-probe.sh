#!/usr/bin/env bash
# What does one loop iteration of flash3's kernels cost, and what their CTAs beside the loop? The
# forward with the queries fixed at 16384 (the same CTAs: batch 2 x 16 heads x 16384 / block_m,
# about 31 waves) and 4..128 key blocks per CTA (seq_k 512..8192); the backward with the keys
# fixed at 16384 and seq_q 512..8192; each split by scripts/lib/iteration_probe.sh, for each tile
# the default validation suite builds. Compare with `flashscope simulate --algo flash3` of the
# same problems. Run on a GPU machine after a `gpu` preset build:
#   OUT=dir scripts/flash3-iteration-probe.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/scripts/lib/iteration_probe.sh"
out=${OUT:-$root/build/flash3-iteration}
mkdir -p "$out"
lens=(512 1024 2048 4096 8192)
iteration_probe flash3 fwd seq_k 16384 "64 128x64x12x2" "64 128x128x12x2" "64 192x128x16x2" \
  "128 128x64x12x2" "128 128x128x12x2" -- "${lens[@]}" | tee "$out/flash3-fwd-iteration.txt"
iteration_probe flash3 bwd seq_q 16384 "64 128x128x12x2" "128 64x128x12x2" -- "${lens[@]}" |
  tee "$out/flash3-bwd-iteration.txt"
