#!/bin/bash
# One HyperSwarm worker on this Slurm node, started by hyperswarm.sbatch (one task per node):
# the GPUs Slurm gave this task become its devices, its host name its id.
#   worker.sh HYPERSWARM COORDINATOR WORKER_PORT CHECKPOINTS TOKEN_FILE [DATA]
set -euo pipefail
hyperswarm=$1 coordinator=$2 port=$3 checkpoints=$4 token_file=$5 data=${6:-}

# Slurm sets CUDA_VISIBLE_DEVICES to this task's GPUs (e.g. 4,5,6,7); inside the task CUDA
# numbers them from 0, so the devices are cuda:0 … cuda:N-1. No GPU: train on the CPU.
gpus=${CUDA_VISIBLE_DEVICES:-}
if [[ -n $gpus && $gpus != "NoDevFiles" ]]; then
    count=$(tr ',' '\n' <<< "$gpus" | grep -c .)
    devices=$(seq -s, -f 'cuda:%g' 0 $((count - 1)))
else
    devices=cpu
fi

# Akka.Remote (the worker's node in the run's cluster) binds a free port on every interface and
# is reached at this host's name, the --advertise host: two jobs on one node never collide.
args=(worker --join "$coordinator" --devices "$devices"
      --listen "0.0.0.0:$port" --advertise "$(hostname):$port"
      --checkpoints "$checkpoints" --shared-checkpoints
      --token-file "$token_file" --id "$(hostname -s)")
[[ -n $data ]] && args+=(--data "$data")

# exec: srun's SIGTERM reaches hyperswarm itself, which stops its members with a checkpoint.
exec "$hyperswarm" "${args[@]}"
