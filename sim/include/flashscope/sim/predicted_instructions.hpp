#pragma once
// The instruction fields a warp's instruction mix predicts (core/metrics.hpp's optional inst_*
// fields, measured by the profiler's `instructions` group), named by the pipe the hardware
// counts them on (Nsight Compute's smsp__inst_executed_pipe_* on GH100).
#include "flashscope/core/metrics.hpp"
#include "flashscope/sim/instruction_mix.hpp"

namespace flashscope::sim {

// Adds `warps` warps' worth of `mix` to m's instruction fields. mma -> inst_tensor, fp32 ->
// inst_fp32, mufu -> inst_xu, alu and the pack conversions (F2FP) -> inst_alu; ldmatrix, other
// shared accesses, cp.async, shuffles and global accesses -> inst_lsu (ldmatrix and shuffles
// also on their own); every class -> inst_total. F2FP is ALU work on GH100: flash3 forward's
// pipe_alu count on the H200 is the sum of its FMNMX, F2FP, FSETP, FSEL ... executed counts
// (the T1342 model probe's source page), 8.5 of its 40.9 M F2FP.
void add_predicted_instructions(Metrics& m, const InstructionMix& mix, double warps);

}  // namespace flashscope::sim
