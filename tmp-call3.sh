#!/usr/bin/env bash
set -uo pipefail
t0=$(date +%s)
( cmake --preset gpu -DFLASHSCOPE_WITH_GUI=OFF && cmake --build --preset gpu -j16 --target flashscope ) >"$OUT/build.log" 2>&1 || { grep -E "error|FAILED" "$OUT/build.log" | head -30; exit 1; }
echo "build $(( $(date +%s) - t0 )) s"
B=build/gpu/cli/flashscope
$B calibrate -o "$OUT/calibrated.yaml" 2>"$OUT/calibrate.log"; grep -E "SM" "$OUT/calibrate.log" | tail -13
grep -E "One SM" "$OUT/calibrated.yaml"
echo "calibrate done $(( $(date +%s) - t0 )) s"
