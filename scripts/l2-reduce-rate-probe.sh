#!/usr/bin/env bash
# How fast does the whole L2 take reductions from every SM: scalar and float2 red.global.add, and
# TMA's bulk reduce-add of 32 KiB tiles into distinct and into shared blocks? Builds and runs
# scripts/probes/l2_reduce_rate.cu, timed as `flashscope validate` times kernels.
# Run on a GPU machine: OUT=dir scripts/l2-reduce-rate-probe.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/scripts/lib/held_probe.sh"
held_probe l2_reduce_rate "${OUT:-$root/build/l2-reduce-rate}"
