#!/usr/bin/env bash
# Does a CTA that asks for more shared memory start slower? Builds and runs
# scripts/probes/cta_start_smem.cu (empty kernels of 32 CTAs per SM with 0 .. 200 KiB of dynamic
# shared memory), timed as `flashscope validate` times kernels.
# Run on a GPU machine: OUT=dir scripts/cta-start-smem-probe.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${OUT:-$root/build/cta-start-smem}
mkdir -p "$out"
nvcc -O3 -std=c++17 -arch=native -I"$root/profiler/include" -I"$root/profiler/src" \
  "$root/scripts/probes/cta_start_smem.cu" "$root/profiler/src/stream_hold.cu" \
  "$root/profiler/src/cuda_check.cpp" "$root/profiler/src/profiler_error.cpp" \
  -lcupti -o "$out/cta_start_smem"
"$out/cta_start_smem" | tee "$out/cta-start-smem.txt"
