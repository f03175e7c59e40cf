#!/usr/bin/env bash
# Foreign-kernel validation step of scripts/gpu-check.sh: PyTorch SDPA's flash (FlashAttention-2 in
# ATen) and cuDNN kernels, forward and backward, profiled by Nsight Compute and joined to the
# simulator by `flashscope validate --ncu` (no CUDA code of ours involved). Shape: batch 2, heads 16,
# seq 4096, head_dim 128, bf16 (NCU_FOREIGN_SHAPE="B H N D" to change). Writes under $OUT:
#   ncu-foreign-summary.txt   the launch tables and error summaries (for docs/VALIDATION.md)
#   ncu-foreign.tar.gz        the reports (CSV pages), validation files and Chrome traces
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${FLASHSCOPE_BUILD_DIR:-$root/build/gpu}
out=${OUT:-$build/ncu-foreign}
mkdir -p "$out"
cd "$root"
source scripts/lib/ncu_profile.sh
flashscope=${FLASHSCOPE_BIN:-$build/cli/flashscope}
[[ -x $flashscope ]] || { echo "60-ncu-foreign: $flashscope not built" >&2; exit 1; }
NCU=$(ncu_find)
[[ -x ${NCU:-} ]] || { echo "60-ncu-foreign: ncu not found (set NCU)" >&2; exit 1; }
export NCU
read -r batch heads seq dim <<<"${NCU_FOREIGN_SHAPE:-2 16 4096 128}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
summary=$out/ncu-foreign-summary.txt
: >"$summary"
failed=0
for backend in flash cudnn; do
    for pass in fwd bwd; do
        name=sdpa_${backend}_${pass}
        echo "== $name: batch $batch, heads $heads, seq $seq, head_dim $dim, bf16" | tee -a "$summary"
        if ! ncu_profile "$work" "$name" --backend "$backend" --pass "$pass" --batch "$batch" --heads "$heads" \
            --seq "$seq" --head-dim "$dim" --dtype bf16; then
            failed=1
            continue
        fi
        "$flashscope" validate --ncu "$work/$name.raw.csv" --batch "$batch" --heads "$heads" --seq "$seq" \
            --head-dim "$dim" --pass "$pass" --out "$work/$name.validation.json" \
            --trace "$work/$name.trace.json" 2>&1 | tee -a "$summary" || failed=1
    done
done
tar -czf "$out/ncu-foreign.tar.gz" -C "$work" $(cd "$work" && ls *.csv *.json 2>/dev/null)
exit $failed
