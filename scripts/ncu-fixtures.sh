#!/usr/bin/env bash
# The Nsight Compute fixtures of tests/validate/data/ncu/, measured: on a machine with an NVIDIA GPU
# (H200 intended), ncu (2025.3) and PyTorch with CUDA (2.11), profiles PyTorch SDPA with the flash and
# cuDNN backends and the eager expression softmax(q @ k^T * scale) @ v, forward and backward, at
# batch 1, heads 8, seq 1024, head_dim 128, bf16, and writes each report's raw and details pages:
#   $OUT/ncu-fixtures.tar.gz   {sdpa_flash,sdpa_cudnn,eager}_{fwd,bwd}.{raw,details}.csv
#   $OUT/ncu-fixtures.txt      what `flashscope validate --ncu` makes of each (check before committing)
# Unpack into tests/validate/data/ncu/ (replacing the synthetic files) and run validate_ncu_tests.
# Environment: FLASHSCOPE_BIN (default build/gpu/cli/flashscope, else build/*/cli/flashscope), NCU.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
source scripts/lib/ncu_profile.sh
out=${OUT:-$root/build/ncu-fixtures}
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

flashscope=${FLASHSCOPE_BIN:-}
if [[ -z $flashscope ]]; then
    for candidate in build/gpu/cli/flashscope build/*/cli/flashscope; do
        [[ -x $candidate ]] && { flashscope=$root/$candidate; break; }
    done
fi
[[ -x ${flashscope:-} ]] || { echo "ncu-fixtures: no built flashscope (set FLASHSCOPE_BIN)" >&2; exit 1; }
NCU=$(ncu_find)
[[ -x ${NCU:-} ]] || { echo "ncu-fixtures: ncu not found (set NCU)" >&2; exit 1; }
export NCU
python3 -c 'import torch; assert torch.cuda.is_available()' || { echo "ncu-fixtures: PyTorch has no CUDA" >&2; exit 1; }

shape=(--batch 1 --heads 8 --seq 1024 --head-dim 128 --dtype bf16)
summary=$out/ncu-fixtures.txt
: >"$summary"
for backend in flash cudnn eager; do
    for pass in fwd bwd; do
        name=sdpa_${backend}_$pass
        [[ $backend == eager ]] && name=eager_$pass
        echo "== $name" | tee -a "$summary"
        ncu_profile "$work" "$name" --backend "$backend" --pass "$pass" "${shape[@]}"
        eager_flag=()
        [[ $backend == eager ]] && eager_flag=(--naive-eager)
        "$flashscope" validate --ncu "$work/$name.raw.csv" --batch 1 --heads 8 --seq 1024 --head-dim 128 \
            --pass "$pass" "${eager_flag[@]}" --out "$work/$name.validation.json" >>"$summary" 2>&1 ||
            echo "(validate --ncu failed on $name: see above)" >>"$summary"
    done
done
tar -czf "$out/ncu-fixtures.tar.gz" -C "$work" $(cd "$work" && ls *.raw.csv *.details.csv)
echo "ncu-fixtures: wrote $out/ncu-fixtures.tar.gz and $summary"
