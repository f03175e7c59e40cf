#!/usr/bin/env bash
# Does wgmma read its shared-memory operands through the path ldmatrix and st.shared use? Builds
# scripts/probes/wgmma_beside_smem.cu for sm_90a and runs it: cycles per wgmma (SS and RS, N 64 and
# 128) alone and beside another warpgroup's ldmatrix.x4 or st.shared.v4 stream.
# Run on a Hopper GPU machine: OUT=dir scripts/wgmma-beside-smem-probe.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/scripts/lib/held_probe.sh"
HELD_PROBE_ARCH=sm_90a held_probe wgmma_beside_smem "${OUT:-$root/build/wgmma-beside-smem}"
