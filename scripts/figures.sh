#!/usr/bin/env bash
# The README's figures, drawn headless by `flashscope plot` from the simulator's own output: the
# main job (H100 SXM5, batch 4, 16 heads, seq 4096, head_dim 128, bf16, forward, cycle model), its
# tile sweep, naive/flash1/flash2 against sequence length, its timeline, and the newest committed
# validation run. Writes docs/figures/*.png (scripts/screenshots.sh keeps the GUI window shots).
#
# usage: scripts/figures.sh [--build DIR] [--out DIR] [--size WxH]
#   --build   build folder with cli/flashscope and gui/flashscope-plot (default: build/default, else
#             the first build/*/ that has both)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=""
out="$root/docs/figures"
size="1200x720"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --build) build="$2"; shift 2 ;;
        --out) out="$2"; shift 2 ;;
        --size) size="$2"; shift 2 ;;
        -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
        *) echo "figures.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
if [[ -z $build ]]; then
    for candidate in "$root/build/default" "$root"/build/*; do
        if [[ -x $candidate/cli/flashscope && -x $candidate/gui/flashscope-plot ]]; then build=$candidate; break; fi
    done
fi
flashscope="${build:-$root/build/default}/cli/flashscope"
[[ -x $flashscope && -x ${build:-x}/gui/flashscope-plot ]] || {
    echo "figures.sh: needs cli/flashscope and gui/flashscope-plot (a build with -DFLASHSCOPE_WITH_GUI=ON)" >&2
    exit 1
}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
cd "$root"

job="gpu: h100-sxm5
batch: 4
heads: 16
head_dim: 128
dtype: bf16
pass: fwd"
printf '%s\nmodel: cycle\nseq: 4096\nalgo: flash2\nblock_m: [32, 64, 96, 128, 160, 192, 224, 256]\nblock_n: [32, 64, 96, 128, 160, 192, 224, 256]\n' \
    "$job" >"$work/tiles.yaml"
printf '%s\nmodel: cycle\nseq: 4096\nalgo: [naive, flash1, flash2]\n' "$job" >"$work/job.yaml"
printf '%s\nmodel: analytic\nalgo: [naive, flash1, flash2]\nseq: [256, 1024, 4096, 16384, 65536, 262144]\n' \
    "$job" >"$work/seq.yaml"

"$flashscope" sweep "$work/tiles.yaml" -q --out "$work/tiles.csv"
"$flashscope" sweep "$work/job.yaml" -q --out "$work/job.jsonl"
"$flashscope" sweep "$work/seq.yaml" -q --out "$work/seq.csv"
"$flashscope" simulate --algo flash2 --timeline "$work/timeline.csv" >/dev/null
validation=$(ls -t docs/validation/*-default.json 2>/dev/null | head -n 1 || true)
validation=${validation:-tests/gui/data/validation_sample.json}

plot() { "$flashscope" plot "$@" --size "$size"; }
plot heatmap "$work/tiles.csv" -o "$out/tile_heatmap.png"
plot memory "$work/job.jsonl" --where algo=naive,flash2 -o "$out/memory_hierarchy.png"
plot scaling "$work/seq.csv" -o "$out/scaling.png"
plot roofline "$work/job.jsonl" -o "$out/roofline.png"
plot timeline "$work/timeline.csv" -o "$out/timeline.png"
plot scatter "$validation" -o "$out/validation.png"
echo "figures in $out (validation from $validation)"
