#!/bin/bash
# The HyperSwarm image's entrypoint: runs `hyperswarm` with the arguments the pod gives
# (`coordinator …` or `worker …`), the same command line as outside a container.
#   HYPERSWARM_HOME      the published app (default /opt/hyperswarm)
#   HS_TORCH_LIB         the libhstorch shim (default $HYPERSWARM_HOME/libhstorch.so)
#   HYPERSWARM_LIBTORCH  a folder put first on LD_LIBRARY_PATH (the CUDA image's torch/lib)
#   HYPERSWARM_CPUS      the CPUs the container may use (Kubernetes: limits.cpu through the
#                        downward API): a worker without --threads gets that many libtorch
#                        threads shared among its member slots
set -euo pipefail

fail() { echo "hyperswarm-entrypoint: $*" >&2; exit 2; }

home=${HYPERSWARM_HOME:-/opt/hyperswarm}
export HS_TORCH_LIB=${HS_TORCH_LIB:-$home/libhstorch.so}
if [[ -n ${HYPERSWARM_LIBTORCH:-} ]]; then
    export LD_LIBRARY_PATH=$HYPERSWARM_LIBTORCH${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
fi
[[ -x $home/hyperswarm ]] || fail "$home/hyperswarm is not an executable; set HYPERSWARM_HOME to the published app."
[[ -f $HS_TORCH_LIB ]] || fail "the libtorch shim $HS_TORCH_LIB does not exist; set HS_TORCH_LIB."

# The value of flag $1 among the remaining arguments ("--flag VALUE" or "--flag=VALUE"), if any.
flag_value() {
    local flag=$1; shift
    while (($#)); do
        case $1 in
            "$flag") echo "${2:-}"; return 0 ;;
            "$flag"=*) echo "${1#*=}"; return 0 ;;
        esac
        shift
    done
    return 1
}

if [[ ${1:-} == worker && -n ${HYPERSWARM_CPUS:-} ]] && ! flag_value --threads "$@" >/dev/null; then
    [[ $HYPERSWARM_CPUS =~ ^[0-9]+$ ]] || fail "HYPERSWARM_CPUS must be a whole number of CPUs, got '$HYPERSWARM_CPUS'."
    # Member slots: --capacity, else one per device in --devices (default cpu: one).
    slots=$(flag_value --capacity "$@" || true)
    if [[ -z $slots ]]; then
        devices=$(flag_value --devices "$@" || echo cpu)
        slots=$(tr ',' '\n' <<< "$devices" | grep -c .)
    fi
    [[ $slots =~ ^[1-9][0-9]*$ ]] || slots=1
    threads=$((HYPERSWARM_CPUS / slots))
    ((threads >= 1)) || threads=1
    set -- "$@" --threads "$threads"
fi

# exec: the pod's SIGTERM reaches hyperswarm itself, which stops every member with a checkpoint.
exec "$home/hyperswarm" "$@"
