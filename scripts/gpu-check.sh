#!/usr/bin/env bash
# GPU check: on a machine with a GPU and the CUDA toolkit, build with the `gpu` preset (GUI off),
# run the `gpu` tests (kernel correctness and edge cases against float64, compute-sanitizer
# memcheck/racecheck/initcheck/synccheck, the SASS of the flash3 instances),
# then `flashscope bench` and bench/sdpa_baseline.py (PyTorch SDPA) on the same shapes: bf16,
# d = 128 and 64, seq 4096..16384 with batch*seq = 16k and heads*d = 2048, causal and not, forward
# and backward (d = 256: naive and flash3, the only kernels with that head dim). Then every executable
# script in scripts/gpu-check.d/ (sorted), and a summary table last. Full logs go under $OUT when set
# (else build/gpu/gpu-check/).
# Environment: GPU_CHECK_SEQS (default "4096 8192 16384"), GPU_CHECK_DIMS (default "128 64 256"),
# GPU_CHECK_EXTRAS (the gpu-check.d scripts to run, e.g. "10-calibrate.sh"; default all of them),
# GPU_CHECK_REPEAT (timed runs, default 20), GPU_CHECK_SKIP_BUILD=1 to reuse an existing build,
# GPU_CHECK_BUILD_DIR and FLASHSCOPE_BIN to point at another build.
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
build=${GPU_CHECK_BUILD_DIR:-$root/build/gpu}
out=${OUT:-$build/gpu-check}
mkdir -p "$out"
log=$out/gpu-check.log
: >"$log"
seqs=${GPU_CHECK_SEQS:-4096 8192 16384}
dims=${GPU_CHECK_DIMS:-128 64 256}
declare -a status_lines=()
step() {  # step NAME COMMAND...: runs, logs, records pass/fail
  local name=$1; shift
  echo "== $name" | tee -a "$log"
  local start=$SECONDS
  "$@" >>"$log" 2>&1
  local rc=$?
  status_lines+=("$(printf '%-34s %-6s %4ss' "$name" "$([ $rc -eq 0 ] && echo ok || echo FAIL:$rc)" $((SECONDS - start)))")
  return $rc
}

nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.max.sm --format=csv | tee -a "$log"
if [[ ${GPU_CHECK_SKIP_BUILD:-0} != 1 ]]; then
  step "configure (preset gpu)" cmake --preset gpu -DFLASHSCOPE_WITH_GUI=OFF || { tail -n 40 "$log"; exit 1; }
  step "build" cmake --build --preset gpu -j"$(nproc)" || { grep -E "error|FAILED" "$log" | head -n 40; exit 1; }
fi
step "ctest -L gpu" ctest --test-dir "$build" -L gpu --output-on-failure
# The correctness matrix: one line per problem, the worst error/bound over every built tile.
tests_bin=$(find "$build" -name flashscope_kernel_tests -type f -perm -u+x | head -n 1)
if [[ -n $tests_bin ]]; then
  "$tests_bin" --gtest_filter='*KernelCorrectness*' 2>&1 | grep MATRIX >"$out/correctness-matrix.txt"
fi

flashscope=${FLASHSCOPE_BIN:-$build/cli/flashscope}
to_jsonl() { python3 -c 'import json,sys; [print(json.dumps(r)) for r in json.load(open(sys.argv[1]))]' "$1" 2>/dev/null; }
bench_json=$out/bench-flashscope.jsonl
sdpa_json=$out/bench-sdpa.jsonl
: >"$bench_json"
: >"$sdpa_json"
for d in $dims; do
  heads=$((2048 / d))
  for n in $seqs; do
    batch=$((16384 / n))
    [[ $batch -lt 1 ]] && batch=1
    for causal in no yes; do
      flag=""; [[ $causal == yes ]] && flag="--causal"
      for pass in fwd bwd; do
        algos=naive,flash1,flash2,flash3; [[ $pass == bwd ]] && algos=naive,flash2,flash3
        [[ $d == 256 ]] && algos=naive,flash3
        step "bench d=$d n=$n causal=$causal $pass" \
          "$flashscope" bench --batch $batch --heads $heads --seq $n --head-dim $d --dtype bf16 $flag \
          --algo $algos --pass $pass --repeat ${GPU_CHECK_REPEAT:-20} --format json --out "$out/last.json"
        to_jsonl "$out/last.json" >>"$bench_json"
      done
    done
    step "sdpa d=$d n=$n" bash -c "python3 bench/sdpa_baseline.py --shape ${batch}x${heads}x${n}x${d} --dtype bf16 \
      --causal no,yes --pass fwd,bwd --repeat ${GPU_CHECK_REPEAT:-20} --format json > '$out/last.json'"
    to_jsonl "$out/last.json" >>"$sdpa_json"
  done
done

# Steps added by other parts (validation, ...).
if [[ -d scripts/gpu-check.d ]]; then
  for script in $(ls scripts/gpu-check.d | sort); do
    path=scripts/gpu-check.d/$script
    [[ -f $path && -x $path ]] || continue
    [[ -z ${GPU_CHECK_EXTRAS+x} || " $GPU_CHECK_EXTRAS " == *" $script "* ]] || continue
    FLASHSCOPE_BUILD_DIR=$build step "gpu-check.d/$script" "$path"
  done
fi

rm -f "$out/last.json"
python3 scripts/gpu-check-table.py "$bench_json" "$sdpa_json" >"$out/summary.txt"

echo
echo "== correctness matrix (worst error / (2 x naive error + atol) over every built tile; <= 1 passes)"
[[ -f $out/correctness-matrix.txt ]] && sed 's/^MATRIX //' "$out/correctness-matrix.txt"
echo
echo "== steps"
printf '%s\n' "${status_lines[@]}"
echo
echo "== summary: flashscope bench vs PyTorch SDPA, bf16, same run (full log: $log)"
cat "$out/summary.txt"
failed=0
for line in "${status_lines[@]}"; do [[ $line == *FAIL* ]] && failed=1; done
exit $failed
