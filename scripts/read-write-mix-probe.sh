#!/usr/bin/env bash
# Does a kernel that reads HBM and writes the L2 pay for both in parallel or in turn? Builds and
# runs scripts/probes/read_write_mix.cu (reads of 0..64 MiB cold, stores of 0..64 MiB, in one wave
# of persistent CTAs and in one CTA per 8 KiB), timed as `flashscope validate` times kernels.
# Run on a GPU machine: OUT=dir scripts/read-write-mix-probe.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$root/scripts/lib/held_probe.sh"
held_probe read_write_mix "${OUT:-$root/build/read-write-mix}"
