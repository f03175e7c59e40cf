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
source "$root/scripts/lib/lean_build.sh"
date -u | tee "$OUT/summary.txt"
nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.max.sm --format=csv,noheader | tee -a "$OUT/summary.txt"
s=$SECONDS
lean_build flash2_bwd || exit 1
cd "$src"
echo "build ok $((SECONDS - s))s" | tee -a "$OUT/summary.txt"
grep -h -A2 "flash2_bwd_kernel" "$B"/kernels/CMakeFiles/flashscope_kernels.dir/generated/instances/flash2_bwd*.ptxas.txt \
  | grep -E "spill|Used" | sed 's/, [0-9]* bytes cmem.*//' | sort | uniq -c | tee -a "$OUT/summary.txt"
T=$B/tests/kernels
status=0
F=$B/cli/flashscope
: >"$OUT/bench.txt"; : >"$OUT/sdpa.txt"
timeout 30 "$T/flashscope_kernel_smoke" >"$OUT/smoke.txt" 2>&1; rc=$?
echo "smoke rc=$rc ($(grep -c 'ran flash2_bwd$' "$OUT/smoke.txt") flash2_bwd launches) $(grep error "$OUT/smoke.txt" | head -2)" | tee -a "$OUT/summary.txt"
[ $rc -eq 0 ] || { cat "$OUT/summary.txt"; exit 1; }  # a hang or a crash: the rest would be wasted
timeout 150 "$T/flashscope_kernel_tests" --gtest_filter='*KernelCorrectness*:*KernelEdgeCases*' >"$OUT/t.txt" 2>&1 || status=1
echo "tests: $(grep -E '^\[  PASSED|^\[  FAILED  \] [0-9]' "$OUT/t.txt" | tr '\n' ' ') worst flash2 bwd err/bound $(grep -oE 'flash2 bwd [0-9.]+' "$OUT/t.txt" | awk '{print $3}' | sort -g | tail -1); deterministic bitwise: $(grep -c 'flash2 deterministic bwd bitwise yes' "$OUT/t.txt") yes, $(grep -c 'flash2 deterministic bwd bitwise NO' "$OUT/t.txt") NO $((SECONDS - s))s" | tee -a "$OUT/summary.txt"
grep -E "^MATRIX|Failure|Expected|Which is|FAILED" "$OUT/t.txt" >"$OUT/tests.txt"
if [ "${SKIP_SANITIZERS:-0}" != 1 ]; then
  : >"$OUT/sanitizers.txt"
  for tool in memcheck racecheck; do
    timeout 120 compute-sanitizer --tool $tool --error-exitcode 1 "$T/flashscope_kernel_smoke" >"$OUT/san.txt" 2>&1 || status=1
    echo "sanitizer $tool: $(grep -c 'ran flash2_bwd$' "$OUT/san.txt") flash2_bwd launches; $(tail -1 "$OUT/san.txt") $((SECONDS - s))s" | tee -a "$OUT/summary.txt"
    cat "$OUT/san.txt" >>"$OUT/sanitizers.txt"
  done
fi
rm -f "$OUT/t.txt" "$OUT/san.txt"
if [ "${SKIP_BENCH:-0}" != 1 ]; then
  shapes=""
  for d in ${BENCH_DIMS:-128 64}; do
    h=$((2048 / d))
    for n in 4096 8192 16384; do
      b=$((16384 / n))
      for c in "" --causal; do
        timeout 60 "$F" bench --batch $b --heads $h --seq $n --head-dim $d --dtype bf16 $c \
          --algo flash2 --tile all --pass bwd --repeat 10 2>&1 | grep -E "^flash|rror" >>"$OUT/bench.txt"
      done
      shapes="$shapes --shape ${b}x${h}x${n}x${d}"
    done
  done
  timeout 240 python3 bench/sdpa_baseline.py $shapes --dtype bf16 --causal no,yes --pass bwd \
    --backends flash --repeat 10 2>&1 | grep -E "^flash|rror" >>"$OUT/sdpa.txt"
fi
echo "total $((SECONDS - s))s" | tee -a "$OUT/summary.txt"
awk '{print $1, $2, $4, $5, $6, $9}' "$OUT/bench.txt"
awk '{print $1, $2, $4, $5, $8}' "$OUT/sdpa.txt"
cat "$OUT/summary.txt"
rm -rf "$src"
exit $status
