#!/usr/bin/env bash
# flash3 check on a Hopper GPU, small enough for one short device call: builds a lean tree (the
# tile table's `ci` rows replaced by flash3's `full` rows and flash2's default tiles, GUI off) from a
# copy of the source, runs the SASS check, the flash3 correctness and edge-case tests, then
# `flashscope bench` (flash2 and every flash3 tile) and bench/sdpa_baseline.py (PyTorch flash and
# cuDNN) on the issue-11 shapes in the same run: bf16, d = 128 and 64 with batch*seq = 16k and
# heads*d = 2048, seq 4096..16384, causal and not, and d = 256 (8 heads) at 4096 and 16384 (medians
# of 10 timed runs, L2 flushed before each), and last compute-sanitizer memcheck/synccheck/racecheck
# on the smoke program. The tests and the sanitizers cap flash3's persistent grid
# (FLASHSCOPE_FLASH3_GRID) so that every CTA works through several tiles. Logs go under $OUT
# (default /tmp/flash3-check), a summary last.
#   FLASH3_QUICK=1      no sanitizers and no PyTorch baselines
#   FLASH3_NCU=1        hardware counters of one flash3 launch per head dim
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=${OUT:-/tmp/flash3-check}; mkdir -p "$OUT"
source "$root/scripts/lib/lean_build.sh"
date -u | tee "$OUT/summary.txt"
nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.max.sm --format=csv,noheader | tee -a "$OUT/summary.txt"
s=$SECONDS
lean_build flash3_fwd || exit 1
cd "$src"
echo "build ok $((SECONDS - s))s; ptxas: $(grep -h 'spill' "$B"/kernels/CMakeFiles/flashscope_kernels_sm90a.dir/generated/instances/*.ptxas.txt | sort | uniq -c | tr -s ' ')" | tee -a "$OUT/summary.txt"
T=$B/tests/kernels
status=0
python3 tests/kernels/check_sass.py "$(command -v cuobjdump)" "$B/kernels/kernel_objects.txt" flash3_fwd >"$OUT/sass.txt" 2>&1 || status=1
echo "sass: $(tail -1 "$OUT/sass.txt")" | tee -a "$OUT/summary.txt"
FLASHSCOPE_FLASH3_GRID=3 timeout 300 "$T/flashscope_kernel_tests" --gtest_filter='*KernelCorrectness*:*KernelEdgeCases*' >"$OUT/tests.txt" 2>&1 || status=1
echo "tests (grid 3): $(grep -E '^\[  PASSED|^\[  FAILED  \] [0-9]' "$OUT/tests.txt" | tr '\n' ' ') $((SECONDS - s))s" | tee -a "$OUT/summary.txt"
grep -E '^\[  FAILED  \]' "$OUT/tests.txt" | head -5
F=$B/cli/flashscope
bench() {  # bench BATCH HEADS SEQ D CAUSAL_FLAG ALGOS
  timeout 60 "$F" bench --batch "$1" --heads "$2" --seq "$3" --head-dim "$4" --dtype bf16 $5 --algo "$6" \
    --tile all --pass fwd --repeat 10 2>&1 | grep -E "^flash" >>"$OUT/bench.txt"
}
: >"$OUT/bench.txt"; : >"$OUT/sdpa.txt"
shapes=()
for d in 128 64; do
  h=$((2048 / d))
  for n in 4096 8192 16384; do
    b=$((16384 / n)); shapes+=(--shape ${b}x${h}x${n}x${d})
    bench $b $h $n $d "" flash2,flash3; bench $b $h $n $d --causal flash2,flash3
  done
done
for n in 4096 16384; do
  b=$((16384 / n)); shapes+=(--shape ${b}x8x${n}x256)
  bench $b 8 $n 256 "" flash3; bench $b 8 $n 256 --causal flash3
done
if [ -z "${FLASH3_QUICK:-}" ]; then
  timeout 240 python3 bench/sdpa_baseline.py "${shapes[@]}" --dtype bf16 --causal no,yes --pass fwd \
    --backends flash,cudnn --repeat 10 2>&1 | grep -E "^(flash|cudnn)" >>"$OUT/sdpa.txt"
fi
echo "bench done $((SECONDS - s))s" | tee -a "$OUT/summary.txt"
awk '{print $1, $4, $5, $6, $9}' "$OUT/bench.txt"
awk '{print $1, $4, $5, $8}' "$OUT/sdpa.txt"
for tool in $([ -n "${FLASH3_QUICK:-}" ] || echo memcheck synccheck racecheck); do
  FLASHSCOPE_FLASH3_GRID=1 timeout 150 compute-sanitizer --tool $tool --error-exitcode 1 "$T/flashscope_kernel_smoke" >"$OUT/san-$tool.txt" 2>&1 || status=1
  echo "sanitizer $tool (grid 1): $(grep -c 'ran flash3' "$OUT/san-$tool.txt") flash3 launches; $(tail -1 "$OUT/san-$tool.txt") $((SECONDS - s))s" | tee -a "$OUT/summary.txt"
done
if [ -n "${FLASH3_NCU:-}" ] && command -v ncu >/dev/null; then
  for d in 128 64; do
    timeout 90 ncu --clock-control none -k regex:flash3_fwd -c 1 --metrics \
gpu__time_duration.sum,sm__pipe_tensor_op_hmma_cycles_active.avg.pct_of_peak_sustained_active,\
smsp__issue_active.avg.pct_of_peak_sustained_active,sm__inst_executed_pipe_xu.avg.pct_of_peak_sustained_active,\
smsp__pipe_fma_cycles_active.avg.pct_of_peak_sustained_active,smsp__inst_executed.sum \
      "$F" bench --batch 4 --heads $((2048 / d)) --seq 4096 --head-dim $d --dtype bf16 --algo flash3 \
      --pass fwd --repeat 1 >>"$OUT/ncu.txt" 2>&1
  done
  grep -E "flash3_fwd|gpu__time|pct|inst_executed.sum" "$OUT/ncu.txt" | sed 's/  */ /g' | tee -a "$OUT/summary.txt"
fi
echo "total $((SECONDS - s))s" | tee -a "$OUT/summary.txt"
cat "$OUT/summary.txt"
rm -rf "$src"
exit $status
