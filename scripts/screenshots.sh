#!/usr/bin/env bash
# Renders every view of flashscope-gui offscreen into docs/images/*.png from a realistic
# configuration (H100 SXM5, batch 4, 16 heads, seq 4096, head dim 128, bf16, forward pass,
# FlashAttention-2 with its default tile, cycle model), so the README shows real simulated data.
#
# usage: scripts/screenshots.sh [--build DIR] [--out DIR] [--validation FILE] [--size WxH]
#   --build       build folder holding gui/flashscope-gui (default: build/default, else build-gui;
#                 configured and built there when the program is missing)
#   --validation  a file written by `flashscope validate` (default: the newest
#                 docs/validation/*-default.json, else the newest docs/validation/*.json, else the
#                 synthetic fixture tests/gui/data/validation_sample.json)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=""
out="$root/docs/images"
validation=""
size="1200x720"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build) build="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --validation) validation="$2"; shift 2 ;;
    --size) size="$2"; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "screenshots.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done

if [[ -z "$build" ]]; then
  for candidate in "$root/build/default" "$root/build-gui"; do
    if [[ -x "$candidate/gui/flashscope-gui" ]]; then build="$candidate"; break; fi
  done
  build="${build:-$root/build/default}"
fi
gui="$build/gui/flashscope-gui"
if [[ ! -x "$gui" ]]; then
  echo "screenshots.sh: building flashscope-gui in $build" >&2
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DFLASHSCOPE_WITH_GUI=ON >/dev/null
  cmake --build "$build" --target flashscope-gui
fi

if [[ -z "$validation" ]]; then
  validation=$(ls -t "$root"/docs/validation/*-default.json 2>/dev/null | head -n 1 || true)
  [[ -n "$validation" ]] || validation=$(ls -t "$root"/docs/validation/*.json 2>/dev/null | head -n 1 || true)
  validation="${validation:-$root/tests/gui/data/validation_sample.json}"
fi

session=$(mktemp --suffix=.yaml)
trap 'rm -f "$session"' EXIT
cat >"$session" <<'YAML'
flashscope_session: 2
gpu: h100-sxm5
model: cycle
algo: flash2
pass: fwd
dtype: bf16
causal: false
batch: 4
heads: 16
kv_heads: 16
seq: 4096
head_dim: 128
view: 0             # no tile keys: FlashAttention-2's rule picks the tile
YAML

mkdir -p "$out"
# A private settings folder, so a user's saved window layout does not leak into the pictures.
export XDG_CONFIG_HOME
XDG_CONFIG_HOME=$(mktemp -d)
trap 'rm -f "$session"; rm -rf "$XDG_CONFIG_HOME"' EXIT
QT_QPA_PLATFORM=offscreen "$gui" --session "$session" --validation "$validation" \
  --render "$out" --size "$size"
echo "screenshots in $out (validation view from $validation)"
