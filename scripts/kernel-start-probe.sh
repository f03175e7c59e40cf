#!/usr/bin/env bash
# What does a small kernel cost beyond its bytes and the empty kernel's launch? Builds and runs
# scripts/probes/kernel_start.cu (read sweeps and copies of 1..64 MiB, cold and warm, and
# straight-line code against a loop), timed as `flashscope validate` times kernels (each launch
# queued behind profiler/src/stream_hold.cu's hold), and keeps the SASS sizes.
# Run on a GPU machine: OUT=dir scripts/kernel-start-probe.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${OUT:-$root/build/kernel-start}
mkdir -p "$out"
nvcc -O3 -std=c++17 -arch=native -I"$root/profiler/include" -I"$root/profiler/src" \
  "$root/scripts/probes/kernel_start.cu" "$root/profiler/src/stream_hold.cu" \
  "$root/profiler/src/cuda_check.cpp" "$root/profiler/src/profiler_error.cpp" \
  -lcupti -o "$out/kernel_start"
cuobjdump -sass "$out/kernel_start" >"$out/kernel-start.sass"
"$out/kernel_start" | tee "$out/kernel-start.txt"
