#!/usr/bin/env bash
set -uo pipefail
t0=$(date +%s)
( cmake --preset gpu -DFLASHSCOPE_WITH_GUI=OFF && cmake --build --preset gpu -j16 --target flashscope_kernel_resource_usage ) >"$OUT/build.log" 2>&1 || { grep -E "error|FAILED" "$OUT/build.log" | head -30; exit 1; }
cp build/gpu/kernels/resource_usage.json "$OUT/resource_usage.json"; echo "resource usage $(( $(date +%s) - t0 )) s"
SKIP_SANITIZERS=1 SKIP_BENCH=1 OUT=$OUT/f2bwd timeout 400 scripts/flash2-bwd-check.sh >"$OUT/f2bwd.log" 2>&1; echo "flash2-bwd-check rc=$?"
tail -25 "$OUT/f2bwd/summary.txt"
tar -C "$OUT" -czf "$OUT/f2bwd.tgz" f2bwd && rm -rf "$OUT/f2bwd"
echo "all done $(( $(date +%s) - t0 )) s"
