#!/usr/bin/env bash
# flash2 backward check on one GPU, small enough for one short device call: builds a lean tree
# (flash2_bwd's `full` rows and the other kernels' default tiles, scripts/lib/lean_build.sh) from a
# copy of the source, prints the ptxas summary of every flash2_bwd instance, runs the smoke
# program, the correctness and edge-case tests, compute-sanitizer memcheck/racecheck on the smoke
# program, then `flashscope bench --algo flash2 --pass bwd --tile all` and
# bench/sdpa_baseline.py --pass bwd (PyTorch's FlashAttention-2) in the same run: bf16, d = 128 and
# 64 with batch*seq = 16k and heads*d = 2048, seq 4096..16384, causal and not. Medians of 10 timed
# runs, L2 flushed before each. Logs go under $OUT (default /tmp/flash2-bwd-check), a summary last.
# SKIP_SANITIZERS=1 / SKIP_BENCH=1 leave those out; BENCH_DIMS (default "128 64") names the head
# dims benchmarked.
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=${OUT:-/tmp/flash2-bwd-check}; mkdir -p "$OUT"
source "$root/scripts/lib/backward_check.sh"
SANITIZER_TOOLS=${SANITIZER_TOOLS:-memcheck racecheck} BENCH_DIMS=${BENCH_DIMS:-128 64} \
    SDPA_BACKENDS=${SDPA_BACKENDS:-flash} backward_check flash2
