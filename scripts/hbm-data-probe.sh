#!/usr/bin/env bash
# Does HBM move zeros, calibrate's patterns, bf16 values and random bits at the same rate? Builds
# scripts/probes/hbm_data.cu and runs it: 4 GiB write, read and copy streams over each kind of
# data, GB/s.
# Run on a GPU machine: OUT=dir scripts/hbm-data-probe.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/scripts/lib/held_probe.sh"
held_probe hbm_data "${OUT:-$root/build/hbm-data}"
