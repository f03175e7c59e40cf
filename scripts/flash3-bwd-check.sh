#!/usr/bin/env bash
# flash3 backward check on a Hopper GPU, small enough for one short device call: builds a lean tree
# (flash3's `full` rows of both passes and flash2's default tiles, GUI off) from a copy of the
# source, runs the smoke program, the SASS check of every flash3 instance, the correctness and
# edge-case tests, compute-sanitizer memcheck/racecheck/synccheck on the smoke program, then
# `flashscope bench --pass bwd` (flash3) and bench/sdpa_baseline.py --pass bwd (cuDNN) on the issue-11
# shapes in the same run: bf16, d = 128 and 64 with batch*seq = 16k and heads*d = 2048, seq
# 4096..16384, causal and not. Medians of 10 timed runs, L2 flushed before each. Logs go under
# $OUT (default /tmp/flash3-bwd-check), a summary last. SKIP_SANITIZERS=1 / SKIP_BENCH=1 leave
# those out; BENCH_DIMS (default "128 64 256") names the head dims benchmarked (d = 256 with 8
# heads), BENCH_ALGOS (default flash3) the flashscope algorithms and SDPA_BACKENDS (default
# flash,cudnn) PyTorch's.
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=${OUT:-/tmp/flash3-bwd-check}; mkdir -p "$OUT"
source "$root/scripts/lib/backward_check.sh"
SANITIZER_TOOLS=${SANITIZER_TOOLS:-memcheck racecheck synccheck} CHECK_SASS=1 \
    BENCH_DIMS=${BENCH_DIMS:-128 64 256} SDPA_BACKENDS=${SDPA_BACKENDS:-flash,cudnn} backward_check flash3
