#!/usr/bin/env bash
# How long does a returning atomic take to come back from the L2, against a load? Builds and runs
# scripts/probes/atomic_latency.cu (pointer chases of ld.global.cg, atomicAdd(unsigned) and
# atomicAdd(float2) in 8 MiB) and keeps the SASS, to check the atomics are ATOMG.
# Run on a GPU machine: OUT=dir scripts/atomic-latency-probe.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${OUT:-$root/build/atomic-latency}
mkdir -p "$out"
nvcc -O3 -std=c++17 -arch=native "$root/scripts/probes/atomic_latency.cu" -o "$out/atomic_latency"
cuobjdump -sass "$out/atomic_latency" | grep -E "ATOM|RED|LDG" >"$out/atomic-latency-sass.txt" || true
"$out/atomic_latency" | tee "$out/atomic-latency.txt"
