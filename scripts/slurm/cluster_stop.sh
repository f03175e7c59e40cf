#!/usr/bin/env bash
# Stops the daemons cluster_start.sh started in DIR, by their pid files, and waits for them.
# Usage: cluster_stop.sh DIR
set -uo pipefail

dir=${1:?usage: cluster_stop.sh DIR}
for pidfile in "$dir/slurmd.pid" "$dir/slurmctld.pid" "$dir/munge/munged.pid"; do
  [[ -s $pidfile ]] || continue
  pid=$(<"$pidfile")
  kill "$pid" 2>/dev/null || continue
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
done
exit 0
