#pragma once
// The instruction fields a warp's instruction mix predicts (core/metrics.hpp's optional inst_*
// fields, measured by the profiler's `instructions` group), named by the pipe the hardware
// counts them on (Nsight Compute's smsp__inst_executed_pipe_* on GH100).
#include "flashscope/core/metrics.hpp"
#include "flashscope/sim/instruction_mix.hpp"

namespace flashscope::sim {

// Adds `warps` warps' worth of `mix` to m's instruction fields. mma -> inst_tensor, fp32 ->
// inst_fp32, mufu -> inst_xu, alu -> inst_alu; ldmatrix, other shared accesses, cp.async,
// shuffles and global accesses -> inst_lsu (ldmatrix and shuffles also on their own); every
// class -> inst_total. Pack conversions count in inst_total only: which pipe issues them on
// GH100 is not established (they are not in inst_xu there: flash2 forward's XU count is its
// ex2 count).
void add_predicted_instructions(Metrics& m, const InstructionMix& mix, double warps);

}  // namespace flashscope::sim
