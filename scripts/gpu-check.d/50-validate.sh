#!/usr/bin/env bash
# Validation step of scripts/gpu-check.sh (run at its end, after the `gpu` preset build and its
# `ctest -L gpu`, which already ran the profiler's and validation's GPU tests): `flashscope
# validate` on the quick suite (FLASHSCOPE_VALIDATE_SUITE=default for the whole grid, about five
# minutes on an H200). Outputs go under $OUT when set.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${FLASHSCOPE_BUILD_DIR:-$root/build/gpu}
out=${OUT:-$build/validation}
suite=${FLASHSCOPE_VALIDATE_SUITE:-quick}
mkdir -p "$out"
cd "$root"

if [[ ! -x $build/cli/flashscope ]]; then
  echo "50-validate: $build/cli/flashscope not built; run scripts/gpu-check.sh first" >&2
  exit 1
fi

echo "== validate: flashscope validate ($suite suite)"
"$build/cli/flashscope" validate --suite "configs/validation/$suite.yaml" \
  --out "$out/validation-$suite.json" 2> "$out/validation-$suite.log" | tee "$out/validation-$suite-summary.txt"
tail -n 3 "$out/validation-$suite.log"
