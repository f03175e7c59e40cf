#!/usr/bin/env bash
# How fast does HBM take an N x N matrix written tile by tile, as a GEMM epilogue (naive
# attention's S = QK^T) writes it, against one contiguous stream? Builds and runs
# scripts/probes/tile_write.cu, timed as `flashscope validate` times kernels.
# Run on a GPU machine: OUT=dir scripts/tile-write-probe.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/scripts/lib/held_probe.sh"
held_probe tile_write "${OUT:-$root/build/tile-write}"
