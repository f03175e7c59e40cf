#!/usr/bin/env bash
# What does one iteration of FlashAttention-3's forward loop cost bare (GEMMs in turns, softmax,
# P packed), without TMA or a producer warp? Builds scripts/probes/fa3_iteration.cu for sm_90a and
# runs it. Run on a Hopper GPU machine: OUT=dir scripts/fa3-iteration-probe.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/scripts/lib/held_probe.sh"
HELD_PROBE_ARCH=sm_90a held_probe fa3_iteration "${OUT:-$root/build/fa3-iteration}"
