#!/usr/bin/env bash
# Starts a one-node Slurm cluster (munged, slurmctld, slurmd) whose every file lives in DIR.
# Usage (as root): cluster_start.sh DIR
# Afterwards `export SLURM_CONF=DIR/slurm.conf` points sbatch/sinfo at it; cluster_stop.sh DIR
# stops it. Exit 77 (ctest's skip code) with the reason when the cluster cannot be started here:
# not root, or slurm-wlm / munge missing.
set -euo pipefail

dir=${1:?usage: cluster_start.sh DIR}
skip() { echo "SKIP: $*" >&2; exit 77; }

[[ $(id -u) -eq 0 ]] || skip "a Slurm cluster needs root (slurmd runs jobs as their users); run as root"
for tool in munged slurmctld slurmd sbatch sinfo; do
  command -v "$tool" >/dev/null || skip "$tool not found: apt-get install -y slurm-wlm munge"
done

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
mkdir -p "$dir/munge" "$dir/state" "$dir/spool" "$dir/log"
chmod 700 "$dir/munge"

# munge: a private key and socket, so this cluster never talks to another munged on the host.
head -c 1024 /dev/urandom >"$dir/munge/munge.key"
chmod 400 "$dir/munge/munge.key"
munged --force \
  --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.socket" \
  --pid-file="$dir/munge/munged.pid" --log-file="$dir/log/munged.log" \
  --seed-file="$dir/munge/munged.seed"

# Two free TCP ports for slurmctld and slurmd (several clusters may run on one machine).
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
ports=()
for ((p = 20000 + $$ % 20000; ${#ports[@]} < 2; ++p)); do
  if port_free "$p"; then ports+=("$p"); fi
done

host=$(hostname -s)
cpus=$(nproc)
cat >"$dir/slurm.conf" <<CONF
ClusterName=flashscope-test
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=${ports[0]}
SlurmdPort=${ports[1]}
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SlurmUser=root
SlurmdUser=root
ReturnToService=2
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SchedulerType=sched/backfill
MinJobAge=30
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=2000 State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF

export SLURM_CONF=$dir/slurm.conf
slurmctld -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF"

# Wait until the node is idle (usually a few seconds).
for _ in $(seq 1 60); do
  state=$(sinfo -h -N -o %t 2>/dev/null | head -n1 || true)
  if [[ $state == idle* ]]; then
    echo "slurm cluster up in $dir (node $host, $cpus CPUs, ports ${ports[*]})" >&2
    exit 0
  fi
  sleep 0.5
done
echo "slurm node never became idle (state '${state:-none}'); logs in $dir/log" >&2
tail -n 20 "$dir"/log/*.log >&2 || true
exit 1
