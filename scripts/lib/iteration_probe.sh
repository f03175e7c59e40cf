# Splits a tiled kernel's pass time into its CTAs' fixed cost and one loop iteration's: times the
# pass (`flashscope bench`, CUDA events, L2 flushed, median of 20) with one sequence length fixed
# (the same CTAs) and the other, the one the CTAs loop over, growing; time against iterations is a
# line whose intercept is the fixed cost (prologue, epilogue, start) and whose slope is one
# iteration's. Sourced by the probe scripts:
#   iteration_probe ALGO PASS LOOPED(seq_q|seq_k) FIXED_LEN "D TILE" ... -- LEN ...
# prints "head_dim tile seq_q seq_k PASS_pass_us" lines (batch 2 x 16 heads).
iteration_probe() {
  local algo=$1 pass=$2 looped=$3 fixed=$4
  shift 4
  local cases=()
  while [[ $1 != -- ]]; do cases+=("$1"); shift; done
  shift
  local root bin
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  bin=${FLASHSCOPE_BIN:-$root/build/gpu/cli/flashscope}
  echo "head_dim tile seq_q seq_k ${pass}_pass_us"
  for case in "${cases[@]}"; do
    read -r d tile <<<"$case"
    for len in "$@"; do
      local sq=$len sk=$fixed
      [[ $looped == seq_k ]] && { sq=$fixed; sk=$len; }
      us=$("$bin" bench --algo "$algo" --pass "$pass" --batch 2 --heads 16 --seq "$sq" --seq-k "$sk" \
             --head-dim "$d" --tile "$tile" --format json |
           python3 -c 'import json,sys; print("%.1f" % (json.load(sys.stdin)[0]["median_ms"] * 1e3))')
      echo "$d $tile $sq $sk $us"
    done
  done
}
