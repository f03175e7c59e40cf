#!/usr/bin/env bash
# What does a small kernel cost beyond its bytes and the empty kernel's launch? Builds and runs
# scripts/probes/kernel_start.cu (read sweeps and copies of 1..64 MiB, cold and warm, and
# straight-line code against a loop), timed as `flashscope validate` times kernels (each launch
# queued behind profiler/src/stream_hold.cu's hold), and keeps the SASS sizes.
# Run on a GPU machine: OUT=dir scripts/kernel-start-probe.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${OUT:-$root/build/kernel-start}
source "$root/scripts/lib/held_probe.sh"
held_probe_build kernel_start "$out"
cuobjdump -sass "$out/kernel_start" >"$out/kernel-start.sass"
held_probe_run kernel_start "$out"
