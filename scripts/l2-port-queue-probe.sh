#!/usr/bin/env bash
# Does a warp wait at every global load the SM's L2 port cannot take yet? Builds and runs
# scripts/probes/l2_port_queue.cu (bursts of accumulator-layout loads, then stores, beside an FFMA
# chain they do not feed; clock64 per warp) and keeps the SASS, to check the accesses come first.
# Run on a GPU machine: OUT=dir scripts/l2-port-queue-probe.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${OUT:-$root/build/l2-port-queue}
mkdir -p "$out"
nvcc -O3 -std=c++17 -arch=native "$root/scripts/probes/l2_port_queue.cu" -o "$out/l2_port_queue"
cuobjdump -sass "$out/l2_port_queue" >"$out/l2-port-queue.sass"
"$out/l2_port_queue" | tee "$out/l2-port-queue.txt"
