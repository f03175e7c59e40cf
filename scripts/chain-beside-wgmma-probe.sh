#!/usr/bin/env bash
# How long do dependent FMNMX, FADD, ex2 and shuffle chains take beside running wgmma? Builds
# scripts/probes/chain_beside_wgmma.cu for sm_90a and runs it: cycles per chain step of one
# warpgroup, alone and while another warpgroup keeps wgmma in flight.
# Run on a Hopper GPU machine: OUT=dir scripts/chain-beside-wgmma-probe.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/scripts/lib/held_probe.sh"
HELD_PROBE_ARCH=sm_90a held_probe chain_beside_wgmma "${OUT:-$root/build/chain-beside-wgmma}"
