#!/usr/bin/env bash
# Measures this card with `flashscope calibrate` (the microbenchmarks of bench/ceilings: clock
# under load, pipe rates and latencies, L2/HBM latency and bandwidth, L2 atomics) and leaves the
# GPU preset it writes, calibrated-<name>.yaml, and the progress log under $OUT; then checks that
# the simulator loads the preset. Compare with configs/gpus/*.yaml.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${FLASHSCOPE_BUILD_DIR:-$root/build/gpu}
out=${OUT:-$build/calibrate}
mkdir -p "$out"
flashscope=${FLASHSCOPE_BIN:-$build/cli/flashscope}
name=$(nvidia-smi --query-gpu=name --format=csv,noheader | head -n 1 | tr 'A-Z' 'a-z' | tr -cs 'a-z0-9' '-' | sed 's/-$//')
yaml=$out/calibrated-${name:-gpu}.yaml
"$flashscope" calibrate -o "$yaml" 2> >(tee "$out/calibrate.log" >&2)
cat "$yaml"
# The preset must load: one simulation with it.
"$flashscope" simulate --gpu "$yaml" --algo flash2 --batch 1 --heads 16 --seq 4096 --head-dim 128
