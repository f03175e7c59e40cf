#!/usr/bin/env bash
# Does a CTA that asks for more shared memory start slower? Builds and runs
# scripts/probes/cta_start_smem.cu (empty kernels of 32 CTAs per SM with 0 .. 200 KiB of dynamic
# shared memory), timed as `flashscope validate` times kernels.
# Run on a GPU machine: OUT=dir scripts/cta-start-smem-probe.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/scripts/lib/held_probe.sh"
held_probe cta_start_smem "${OUT:-$root/build/cta-start-smem}"
