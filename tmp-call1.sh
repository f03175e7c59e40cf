#!/usr/bin/env bash
# Session call 1 (not committed): build, calibrate with the L2-port steps, counter check, ncu probes.
set -uo pipefail
t0=$(date +%s)
( cmake --preset gpu -DFLASHSCOPE_WITH_GUI=OFF && cmake --build --preset gpu -j16 --target flashscope ) >"$OUT/build.log" 2>&1 || { grep -E "error|FAILED" "$OUT/build.log" | head -30; exit 1; }
echo "build $(( $(date +%s) - t0 )) s"
B=build/gpu/cli/flashscope
$B calibrate -o "$OUT/calibrated.yaml" 2>"$OUT/calibrate.log"; tail -8 "$OUT/calibrate.log"
grep -E "^l2_sm|One SM" "$OUT/calibrated.yaml"
echo "calibrate done $(( $(date +%s) - t0 )) s"
$B validate --quick --max-cases 2 --instructions -o "$OUT/v2.json" >"$OUT/v2.txt" 2>&1; tail -4 "$OUT/v2.txt"
python3 -c "
import json,sys
d=json.load(open('$OUT/v2.json'))
for r in d['records'][:3]:
    print(r['kernel'], r['tile'], 'l2_read pred/meas', r['predicted']['l2_read_bytes'], r['measured'].get('l2_read_bytes'), sorted(k for k in r.get('counters',{}) if 'xbar' in k or 'srcunit_tex_op_read' in k))
"
echo "validate done $(( $(date +%s) - t0 )) s"
MODEL_PROBE_CASES="flash1-fwd-128x64x8 flash1-fwd-64x64x4 flash2-bwd-64x128x8 flash2-bwd-64x64x4x2-d128" FLASHSCOPE_BIN=$B OUT=$OUT/probe scripts/model-probe.sh 2>&1 | tail -20
tar -C "$OUT" -czf "$OUT/probe.tgz" probe && rm -rf "$OUT/probe"
echo "all done $(( $(date +%s) - t0 )) s"
