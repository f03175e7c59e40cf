#!/usr/bin/env bash
# Do kernels write HBM as fast as calibrate's streaming stores? Builds and runs
# scripts/probes/hbm_write.cu: 4 GiB written with st.global.cs (as calibrate), with default stores,
# and as a GEMM epilogue's 128x256 bf16 tiles; copies with either policy.
# Run on a GPU machine: OUT=dir scripts/hbm-write-probe.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${OUT:-$root/build/hbm-write}
mkdir -p "$out"
nvcc -O3 -std=c++17 -arch=native -I"$root/bench/ceilings/src" "$root/scripts/probes/hbm_write.cu" \
  -o "$out/hbm_write"
"$out/hbm_write" | tee "$out/hbm-write.txt"
