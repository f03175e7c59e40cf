#!/usr/bin/env bash
# A real distributed run: starts a one-node Slurm cluster (munge, slurmctld, slurmd; every file in
# a temporary folder), submits a sweep as a 4-task job array with `sbatch --wait`, checks that each
# task ran only its quarter (scripts/slurm/sweep.sbatch asks for `--shard auto`; a sweep never
# shards unasked), merges the four shard files and checks the result equals the same sweep run
# locally, row for row. Stops the daemons it started. Exits 77 (skipped) with the reason when not
# root or Slurm is missing.
# Usage: slurm_job_array_test.sh FLASHSCOPE_BINARY SOURCE_DIR
set -euo pipefail

flashscope=$(realpath "${1:?flashscope binary}")
source_dir=$(realpath "${2:?source dir}")
spec=$source_dir/tests/sweep/data/small.yaml
work=$(mktemp -d /tmp/flashscope-slurm-XXXXXX)
chmod 755 "$work"

cleanup() {
  "$source_dir/scripts/slurm/cluster_stop.sh" "$work/cluster" || true
  rm -rf "$work"
}
trap cleanup EXIT

"$source_dir/scripts/slurm/cluster_start.sh" "$work/cluster" || exit $?
export SLURM_CONF=$work/cluster/slurm.conf

mkdir -p "$work/shards"
sbatch --wait --array=0-3 --chdir="$work" --output="$work/slurm-%A_%a.out" \
  --export=ALL,FLASHSCOPE="$flashscope" \
  "$source_dir/scripts/slurm/sweep.sbatch" "$spec" "$work/shards" >/dev/null || {
  echo "FAIL: the job array did not succeed" >&2
  cat "$work"/slurm-*.out >&2 || true
  exit 1
}

shards=("$work"/shards/shard-*.csv)
if [[ ${#shards[@]} -ne 4 ]]; then
  echo "FAIL: expected 4 shard files, found ${#shards[@]}" >&2
  exit 1
fi
for shard in "${shards[@]}"; do
  rows=$(($(wc -l <"$shard") - 1))
  if [[ $rows -ne 6 ]]; then
    echo "FAIL: $shard holds $rows rows, not 6 (a quarter of 24): did the task shard itself?" >&2
    exit 1
  fi
done
"$flashscope" merge "${shards[@]}" --out "$work/merged.csv"
"$flashscope" sweep "$spec" --out "$work/local.csv" --quiet
if ! cmp -s "$work/merged.csv" "$work/local.csv"; then
  echo "FAIL: the merged job-array result differs from the local run:" >&2
  diff "$work/local.csv" "$work/merged.csv" | head -n 20 >&2
  exit 1
fi
echo "PASS: 4 Slurm array tasks merged equal the local run ($(($(wc -l <"$work/local.csv") - 1)) rows)"
