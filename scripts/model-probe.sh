#!/usr/bin/env bash
# Where do our tiled kernels' warps wait, and what do they issue? For a few configurations of each
# kernel, Nsight Compute's per-pipe instruction counts, issue-slot use and warp stall reasons
# (averaged per issued instruction), one CSV per case. This is the evidence the SM issue model's
# mechanisms are checked against (docs/MODEL.md, "The SM issue model"); nothing here sets a
# parameter. Run on a GPU machine after a `gpu` preset build:
#   OUT=dir scripts/model-probe.sh            (FLASHSCOPE_BIN overrides the binary)
# MODEL_PROBE_CASES="flash3-bwd flash2-fwd-128x64x4x2" keeps the cases whose names (below, as
# algo-pass-tile-dD-causal) contain one of the words. MODEL_PROBE_SOURCE=1 adds, per case, where
# in the SASS the warps stalled (Nsight Compute's warp-state samples per instruction, its source
# page): NAME-source.csv.
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bin=${FLASHSCOPE_BIN:-$root/build/gpu/cli/flashscope}
out=${OUT:-$root/build/gpu/model-probe}
mkdir -p "$out"
ncu_bin=$(command -v ncu || echo /usr/local/cuda/bin/ncu)
metrics=$(
    IFS=,
    list=(
        "regex:smsp__average_warps_issue_stalled_.*_per_issue_active\.ratio"
        "regex:smsp__inst_executed_pipe_.*\.sum$"
        "regex:sm__inst_executed_pipe_tensor_op_hmma\.sum$"
        "regex:smsp__sass_inst_executed_op_(ldsm|shared_ld|shared_st|global_ld|global_st|global_red|global_atom|ldgsts)\.sum$"
        smsp__inst_executed.sum
        smsp__issue_active.avg.pct_of_peak_sustained_active
        smsp__warps_active.avg.per_cycle_active
        sm__cycles_elapsed.max
        gpu__time_duration.sum
        launch__registers_per_thread
        launch__occupancy_limit_registers
        l1tex__data_bank_conflicts_pipe_lsu_mem_shared_op_ld.sum
        # VALIDATION.md item 5: L2 reads the SMs requested against what L1TEX received
        lts__t_sectors_srcunit_tex_op_read.sum
        l1tex__m_xbar2l1tex_read_sectors.sum
        # one SM's traffic through its port to the L2 (flash1 runs on a quarter of the SMs)
        l1tex__m_xbar2l1tex_read_bytes.sum
        l1tex__m_l1tex2xbar_write_bytes.sum
        sm__cycles_active.avg
        # how busy the L2, shared memory and tensor pipes were (flash3's backward)
        lts__t_sectors_op_red.sum
        # TMA's bulk reduce-add (flash3 backward's dQ): its bytes from the SMs
        l1tex__m_l1tex2xbar_write_bytes_mem_global_op_tma_red.sum
        lts__throughput.avg.pct_of_peak_sustained_elapsed
        l1tex__data_pipe_lsu_wavefronts_mem_shared.sum
        sm__pipe_tensor_op_gmma_cycles_active.avg.pct_of_peak_sustained_elapsed
        sm__pipe_shared_cycles_active.avg.pct_of_peak_sustained_elapsed
    )
    echo "${list[*]}"
)
# algo pass tile head_dim causal: kernels of the default validation suite's shapes (b2 h16 n4096)
cases=(
    "flash2 fwd 128x64x4x2 128 no"
    "flash2 fwd 128x128x4x2 64 no"
    "flash2 fwd 128x64x4x2 64 no"
    "flash2 fwd 128x128x8x2 64 no"
    "flash1 fwd 64x128x4x2 64 no"
    "flash1 fwd 128x128x4x2 64 no"
    "flash2 bwd 128x128x8x2 64 no"
    "flash2 fwd 64x64x4x2 64 yes"
    "flash1 fwd 128x64x4x2 128 no"
    "flash1 fwd 128x64x8x2 128 no"
    "flash1 fwd 64x64x4x2 128 no"
    "flash2 bwd 64x128x8x2 64 no"
    "flash2 bwd 64x64x4x2 128 no"
    "flash2 bwd 64x128x8x2 128 no"
    "flash2 bwd 128x32x2x2 64 no"
    "flash2 bwd 64x32x2x2 64 no"
    "flash3 fwd 128x64x12x2 64 no"
    "flash3 fwd 128x128x12x2 128 no"
    "flash3 fwd 192x128x16x2 64 no"
    "flash3 bwd 64x128x12x2 128 no"
    "flash3 bwd 128x128x12x2 64 no"
)
for c in "${cases[@]}"; do
    read -r algo pass tile d causal <<<"$c"
    flag=""
    [[ $causal == yes ]] && flag=--causal
    name="${algo}-${pass}-${tile}-d${d}-${causal}"
    if [[ -n ${MODEL_PROBE_CASES:-} ]]; then
        keep=0
        for word in $MODEL_PROBE_CASES; do [[ $name == *"$word"* ]] && keep=1; done
        [[ $keep == 1 ]] || continue
    fi
    echo "== $name"
    "$ncu_bin" --csv --page raw --metrics "$metrics" -k "regex:${algo}_${pass}_kernel" --launch-count 1 \
        "$bin" bench --algo "$algo" --pass "$pass" --tile "$tile" --batch 2 --heads 16 --seq 4096 \
        --head-dim "$d" $flag --warmup 0 --repeat 1 >"$out/$name.csv" 2>"$out/$name.log" ||
        tail -n 5 "$out/$name.log"
    if [[ ${MODEL_PROBE_SOURCE:-0} == 1 ]]; then
        # The report is written at the profiled launch (the warm-up's): bench may fail after it
        # (under replay its timed launches outlast the stream hold), so import whatever was written.
        "$ncu_bin" --section SourceCounters --section WarpStateStats -k "regex:${algo}_${pass}_kernel" \
            --launch-count 1 --export "$out/$name-source" --force-overwrite \
            "$bin" bench --algo "$algo" --pass "$pass" --tile "$tile" --batch 2 --heads 16 \
            --seq 4096 --head-dim "$d" $flag --warmup 0 --repeat 1 >>"$out/$name.log" 2>&1
        if [[ -s $out/$name-source.ncu-rep ]]; then
            "$ncu_bin" --import "$out/$name-source.ncu-rep" --csv --page source --print-source sass \
                >"$out/$name-source.csv" 2>>"$out/$name.log" || tail -n 5 "$out/$name.log"
        else
            tail -n 5 "$out/$name.log"
        fi
    fi
done
