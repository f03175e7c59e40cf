#!/usr/bin/env bash
# Do ldmatrix and MUFU (and shuffles, shared loads) share a sub-partition's MIO queue? Builds
# scripts/probes/mio_share.cu and runs it: cycles of a stream of ldmatrix.x4 beside other warps'
# ex2 / shfl / FFMA / lds.128 chains, alone and together, and the same warps interleaving
# ldmatrix.x4 and ex2 as flash2's do.
# Run on a GPU machine: OUT=dir scripts/mio-share-probe.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/scripts/lib/held_probe.sh"
held_probe mio_share "${OUT:-$root/build/mio-share}"
