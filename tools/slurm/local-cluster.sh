#!/usr/bin/env bash
# A single-node Slurm cluster on this machine, for testing `rampart slurm` (docs/cluster.md).
#
#   tools/slurm/local-cluster.sh start   # prints `export SLURM_CONF=…`; eval it
#   tools/slurm/local-cluster.sh stop
#
# Needs Debian's slurm-wlm and munge packages and root. Runs munged (unless one already runs),
# slurmctld and slurmd on localhost with a minimal slurm.conf under $RAMPART_SLURM_DIR
# (default ${TMPDIR:-/tmp}/rampart-slurm): no systemd, no accounting daemon. A cluster already
# up is left alone. Ports 6817 and 6818, Slurm's defaults.
set -euo pipefail

dir=${RAMPART_SLURM_DIR:-${TMPDIR:-/tmp}/rampart-slurm}
conf=$dir/etc/slurm.conf

need() {
  for c in "$@"; do
    command -v "$c" >/dev/null || {
      echo "local-cluster.sh: $c is missing: apt-get install slurm-wlm munge" >&2
      exit 2
    }
  done
}

up() { SLURM_CONF=$conf sinfo -h -o %T 2>/dev/null | grep -q -E '^(idle|mixed|allocated)'; }

start() {
  need munge munged slurmctld slurmd sinfo scontrol
  export SLURM_CONF=$conf
  if [ -f "$conf" ] && scontrol ping >/dev/null 2>&1 && up; then
    echo "export SLURM_CONF=$conf"
    return 0
  fi
  mkdir -p "$dir/etc" "$dir/state" "$dir/spool" "$dir/log" "$dir/run"
  if ! munge -n >/dev/null 2>&1; then
    [ -s /etc/munge/munge.key ] || runuser -u munge -- mungekey --create
    install -d -o munge -g munge -m 0755 /run/munge
    install -d -o munge -g munge -m 0700 /var/log/munge /var/lib/munge
    runuser -u munge -- munged
    touch "$dir/run/started-munged"
  fi
  # The node as the machine describes itself (its real cores and memory), named localhost.
  node=$(slurmd -C | head -n 1 | sed 's/^NodeName=[^ ]*/NodeName=localhost/')
  cat > "$conf" <<CONF
ClusterName=rampart-test
SlurmctldHost=localhost
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MinJobAge=600
$node State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
  slurmctld -c
  slurmd -N localhost
  for _ in $(seq 60); do
    if up; then
      echo "export SLURM_CONF=$conf"
      return 0
    fi
    sleep 1
  done
  echo "local-cluster.sh: the node did not come up; see $dir/log/" >&2
  exit 1
}

stop() {
  for p in slurmd slurmctld; do
    f=$dir/run/$p.pid
    if [ -s "$f" ]; then kill "$(cat "$f")" 2>/dev/null || true; rm -f "$f"; fi
  done
  if [ -e "$dir/run/started-munged" ] && [ -s /run/munge/munged.pid ]; then
    kill "$(cat /run/munge/munged.pid)" 2>/dev/null || true
    rm -f "$dir/run/started-munged"
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
