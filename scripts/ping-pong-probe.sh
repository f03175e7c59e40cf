#!/usr/bin/env bash
# What does FlashAttention-3's ping-pong cost per turn? Builds scripts/probes/ping_pong.cu for
# sm_90a and runs it: cycles per iteration of 1-3 consumer warpgroups taking turns at 4 wgmma,
# each followed by 0-64 exp2 per thread.
# Run on a Hopper GPU machine: OUT=dir scripts/ping-pong-probe.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/scripts/lib/held_probe.sh"
HELD_PROBE_ARCH=sm_90a held_probe ping_pong "${OUT:-$root/build/ping-pong}"
