#!/usr/bin/env bash
set -uo pipefail
t0=$(date +%s)
( cmake --preset gpu -DFLASHSCOPE_WITH_GUI=OFF && cmake --build --preset gpu -j16 --target flashscope ) >"$OUT/build.log" 2>&1 || { grep -E "error|FAILED" "$OUT/build.log" | head -30; exit 1; }
echo "build $(( $(date +%s) - t0 )) s"
B=build/gpu/cli/flashscope
$B calibrate -o "$OUT/calibrated.yaml" 2>"$OUT/calibrate.log"; grep -E "SM|TMA" "$OUT/calibrate.log" | tail -16
grep -E "TMA|^l2_sm" "$OUT/calibrated.yaml" | cut -c1-200
echo "calibrate done $(( $(date +%s) - t0 )) s"
MODEL_PROBE_CASES="flash3-bwd" FLASHSCOPE_BIN=$B OUT=$OUT/probe timeout 200 scripts/model-probe.sh 2>&1 | tail -5
tar -C "$OUT" -czf "$OUT/probe.tgz" probe && rm -rf "$OUT/probe"
echo "all done $(( $(date +%s) - t0 )) s"
