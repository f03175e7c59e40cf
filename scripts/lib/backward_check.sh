# backward_check ALGO: the body of scripts/flash2-bwd-check.sh and flash3-bwd-check.sh — a lean
# build of ALGO's backward (lean_build.sh), its ptxas summary, the smoke program, the correctness
# and edge-case tests, compute-sanitizer on the smoke program, then `flashscope bench --pass bwd`
# and bench/sdpa_baseline.py --pass bwd on bf16 shapes with batch*seq = 16k and heads*d = 2048,
# seq 4096..16384, causal and not (medians of 10 timed runs, L2 flushed before each). Logs go
# under $OUT, a summary last; returns non-zero when a check failed. Sourced, not run. The caller
# sets root and OUT, and may set SANITIZER_TOOLS, CHECK_SASS=1 (the SASS check of every instance),
# BENCH_DIMS, BENCH_ALGOS, SDPA_BACKENDS; SKIP_SANITIZERS=1 / SKIP_BENCH=1 leave those parts out.
backward_check() {
    local algo=$1 kernel=${1}_bwd status=0 rc s=$SECONDS
    source "$root/scripts/lib/lean_build.sh"
    date -u | tee "$OUT/summary.txt"
    nvidia-smi --query-gpu=name,memory.total,driver_version,clocks.max.sm --format=csv,noheader |
        tee -a "$OUT/summary.txt"
    lean_build "$kernel" || return 1
    cd "$src" || return 1
    echo "build ok $((SECONDS - s))s" | tee -a "$OUT/summary.txt"
    grep -h -A2 "$kernel" "$B"/kernels/CMakeFiles/flashscope_kernels*.dir/generated/instances/${kernel}*.ptxas.txt \
        | grep -E "spill|Used" | sed 's/, [0-9]* bytes cmem.*//' | sort | uniq -c | tee -a "$OUT/summary.txt"
    local T=$B/tests/kernels F=$B/cli/flashscope
    if [ "${CHECK_SASS:-0}" = 1 ]; then
        python3 tests/kernels/check_sass.py "$(command -v cuobjdump)" "$B/kernels/kernel_objects.txt" \
            "${algo}_" >"$OUT/sass.txt" 2>&1 || status=1
        echo "sass: $(tail -1 "$OUT/sass.txt")" | tee -a "$OUT/summary.txt"
    fi
    : >"$OUT/bench.txt"; : >"$OUT/sdpa.txt"
    timeout 30 "$T/flashscope_kernel_smoke" >"$OUT/smoke.txt" 2>&1; rc=$?
    echo "smoke rc=$rc ($(grep -c "ran $kernel\$" "$OUT/smoke.txt") $kernel launches) $(grep error "$OUT/smoke.txt" | head -2)" |
        tee -a "$OUT/summary.txt"
    [ $rc -eq 0 ] || { cat "$OUT/summary.txt"; return 1; }  # a hang or a crash: the rest would be wasted
    timeout 150 "$T/flashscope_kernel_tests" --gtest_filter='*KernelCorrectness*:*KernelEdgeCases*' >"$OUT/t.txt" 2>&1 || status=1
    local worst="worst $algo bwd err/bound $(grep -oE "$algo bwd [0-9.]+" "$OUT/t.txt" | awk '{print $3}' | sort -g | tail -1)"
    [ "$algo" = flash2 ] ||
        worst="$worst (flash2 bwd $(grep -oE 'flash2 bwd [0-9.]+' "$OUT/t.txt" | awk '{print $3}' | sort -g | tail -1))"
    echo "tests: $(grep -E '^\[  PASSED|^\[  FAILED  \] [0-9]' "$OUT/t.txt" | tr '\n' ' ') $worst; deterministic bitwise: $(grep -c "$algo deterministic bwd bitwise yes" "$OUT/t.txt") yes, $(grep -c "$algo deterministic bwd bitwise NO" "$OUT/t.txt") NO $((SECONDS - s))s" |
        tee -a "$OUT/summary.txt"
    grep -E "^MATRIX|Failure|Expected|Which is|FAILED" "$OUT/t.txt" >"$OUT/tests.txt"
    if [ "${SKIP_SANITIZERS:-0}" != 1 ]; then
        : >"$OUT/sanitizers.txt"
        local tool
        for tool in ${SANITIZER_TOOLS:-memcheck racecheck}; do
            timeout 120 compute-sanitizer --tool "$tool" --error-exitcode 1 "$T/flashscope_kernel_smoke" >"$OUT/san.txt" 2>&1 || status=1
            echo "sanitizer $tool: $(grep -c "ran $kernel\$" "$OUT/san.txt") $kernel launches; $(tail -1 "$OUT/san.txt") $((SECONDS - s))s" |
                tee -a "$OUT/summary.txt"
            cat "$OUT/san.txt" >>"$OUT/sanitizers.txt"
        done
    fi
    rm -f "$OUT/t.txt" "$OUT/san.txt"  # at most 8 files come back from a device call
    if [ "${SKIP_BENCH:-0}" != 1 ]; then
        local shapes="" d h n b c
        for d in ${BENCH_DIMS:-128 64}; do
            h=$((2048 / d))
            for n in 4096 8192 16384; do
                b=$((16384 / n))
                for c in "" --causal; do
                    timeout 60 "$F" bench --batch $b --heads $h --seq $n --head-dim $d --dtype bf16 $c \
                        --algo "${BENCH_ALGOS:-$algo}" --tile all --pass bwd --repeat 10 2>&1 | grep -E "^flash|rror" >>"$OUT/bench.txt"
                done
                shapes="$shapes --shape ${b}x${h}x${n}x${d}"
            done
        done
        timeout 240 python3 bench/sdpa_baseline.py $shapes --dtype bf16 --causal no,yes --pass bwd \
            --backends "${SDPA_BACKENDS:-flash}" --repeat 10 2>&1 | grep -E "^(flash|cudnn)|rror" >>"$OUT/sdpa.txt"
    fi
    echo "total $((SECONDS - s))s" | tee -a "$OUT/summary.txt"
    awk '{print $1, $2, $4, $5, $6, $9}' "$OUT/bench.txt"
    awk '{print $1, $2, $4, $5, $8}' "$OUT/sdpa.txt"
    cat "$OUT/summary.txt"
    rm -rf "$src"
    return $status
}
