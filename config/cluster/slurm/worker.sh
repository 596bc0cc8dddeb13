#!/bin/bash
# One HyperSwarm worker on this Slurm node, started by hyperswarm.sbatch (one task per node):
# the GPUs Slurm gave this task become its devices, its host name its id.
#   worker.sh HYPERSWARM COORDINATOR WORKER_PORT CHECKPOINTS TOKEN_FILE [DATA]
# WORKER_PORT 0 binds a free port: checkpoints are shared, so no other worker needs to find it.
set -euo pipefail
hyperswarm=$1 coordinator=$2 port=$3 checkpoints=$4 token_file=$5 data=${6:-}

# Slurm sets CUDA_VISIBLE_DEVICES to this task's GPUs (e.g. 4,5,6,7); inside the task CUDA
# numbers them from 0, so the devices are cuda:0 … cuda:N-1. No GPU: one member on the CPU.
gpus=${CUDA_VISIBLE_DEVICES:-}
if [[ -n $gpus && $gpus != "NoDevFiles" ]]; then
    slots=$(tr ',' '\n' <<< "$gpus" | grep -c .)
    devices=$(seq -s, -f 'cuda:%g' 0 $((slots - 1)))
else
    slots=1
    devices=cpu
fi
# libtorch threads per member: this task's CPUs shared among its members (the machine's core
# count is not what Slurm gave the task).
threads=$(( ${SLURM_CPUS_PER_TASK:-1} / slots ))
((threads >= 1)) || threads=1

# Akka.Remote (the worker's node in the run's cluster) binds a free port on every interface and
# is reached at this host's name: two jobs on one node never collide.
args=(worker --join "$coordinator" --devices "$devices" --threads "$threads"
      --listen "0.0.0.0:$port"
      --checkpoints "$checkpoints" --shared-checkpoints
      --token-file "$token_file" --id "$(hostname -s)")
# A fixed Worker-service port is advertised at this host's name (streaming, a NetworkPolicy).
if ((port != 0)); then args+=(--advertise "$(hostname):$port"); fi
if [[ -n $data ]]; then args+=(--data "$data"); fi

# exec: srun's SIGTERM reaches hyperswarm itself, which stops its members with a checkpoint.
exec "$hyperswarm" "${args[@]}"
