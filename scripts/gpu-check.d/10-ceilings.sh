#!/usr/bin/env bash
# Measures the simulator's GPU parameters on this card (bench/ceilings/gpu_ceilings): SM clock
# under load, mma.sync rate, L2 and HBM latency and bandwidth. Compare with configs/gpus/*.yaml.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${FLASHSCOPE_BUILD_DIR:-$root/build/gpu}
out=${OUT:-$build/ceilings}
mkdir -p "$out"
"$build/bench/ceilings/gpu_ceilings" | tee "$out/ceilings.txt"
