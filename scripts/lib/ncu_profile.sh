# ncu_profile DIR NAME SDPA_CASE_ARGS...: profiles scripts/lib/sdpa_case.py under Nsight Compute and
# writes DIR/NAME.ncu-rep and its two CSV pages, DIR/NAME.raw.csv and DIR/NAME.details.csv, each
# headed by # lines that record the GPU, the versions and both commands. Sourced, not run; needs
# $flashscope (a built flashscope) and ncu on PATH or in $NCU.
#
# The profile mirrors the simulator's cycle model: the whole pass is replayed for each counter pass
# (--replay-mode application) with the caches left alone between its kernels (--cache-control
# none), so kernel i+1 finds in L2 what kernel i left, and the GPU keeps its own clocks
# (--clock-control none). The metrics are flashscope's list (flashscope validate --ncu-metrics)
# and two more that it does not read, which the reader must pass over.
ncu_profile() {
    local dir=$1 name=$2
    shift 2
    local ncu=${NCU:-ncu}
    local metrics
    metrics="$("$flashscope" validate --ncu-metrics),launch__registers_per_thread,sm__throughput.avg.pct_of_peak_sustained_elapsed"
    local profile=("$ncu" --profile-from-start off --replay-mode application --cache-control none
        --clock-control none --metrics "$metrics" --export "$dir/$name" --force-overwrite
        python3 scripts/lib/sdpa_case.py "$@")
    if ! "${profile[@]}" >"$dir/$name.log" 2>&1; then
        echo "ncu_profile $name failed:" >&2
        tail -n 20 "$dir/$name.log" >&2
        return 1
    fi
    local gpu torch_version ncu_version
    gpu=$(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader | head -n 1)
    torch_version=$(python3 -c 'import torch; print(torch.__version__, "CUDA", torch.version.cuda)')
    ncu_version=$("$ncu" --version | tail -n 1)
    for page in raw details; do
        {
            echo "# $name: measured on $gpu (driver), $(date -u +%F), by scripts/ncu-fixtures.sh"
            echo "# $ncu_version; PyTorch $torch_version"
            echo "# profiled: ${profile[*]}"
            echo "# exported: ncu --import $name.ncu-rep --csv --page $page --print-units base"
            "$ncu" --import "$dir/$name.ncu-rep" --csv --page "$page" --print-units base
        } >"$dir/$name.$page.csv"
    done
}

# ncu_find: the ncu binary, from $NCU, PATH or the usual install places; empty when none.
ncu_find() {
    if [[ -n ${NCU:-} ]]; then echo "$NCU"; return; fi
    command -v ncu && return
    ls -d /usr/local/cuda/bin/ncu /opt/nvidia/nsight-compute/*/ncu /usr/local/cuda-*/bin/ncu 2>/dev/null | tail -n 1
}
