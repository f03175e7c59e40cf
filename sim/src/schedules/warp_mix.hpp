#pragma once
// The instructions one warp of flashscope's tiled kernels issues per step, derived from the tile
// the way the kernels are written (kernels/src/device/attend_block.cuh, flash2_bwd_kernel.cuh):
// mma.sync m16n8k16 with operands by ldmatrix.x4, the online softmax in registers with quad
// shuffles, cp.async copies of the next K/V (or Q/dO) block, one barrier per step.
#include <cstdint>

#include "flashscope/sim/instruction_mix.hpp"

namespace flashscope::sim::detail {

struct WarpTile {
    std::int64_t rows;     // query rows this warp owns (forward) or key rows (backward): 16 * k
    std::int64_t block_m;  // queries of the step's Q block
    std::int64_t block_n;  // keys of the step's K/V block
    std::int64_t head_dim;
    std::int64_t warps;  // of the CTA
    std::int64_t elem;   // bytes per element
};

// S = QK^T, the online softmax, O += PV for one K/V block, and the cp.async copy of the CTA's
// next block (`copy_bytes`: K and V in flash2, the next Q block in flash1's loop order).
// `masked`: the block crosses the causal diagonal or the end of the keys.
InstructionMix forward_step_mix(const WarpTile& t, bool masked, double copy_bytes);
// flash1's loop order adds, per step, reading and writing the Q block's running O, max and sum.
void add_running_output_io(InstructionMix& mix, const WarpTile& t);
// A CTA's prologue: its first blocks copied in by cp.async (`copy_bytes`: the forward's Q block,
// the backward's K and V blocks), then a barrier.
InstructionMix prologue_mix(const WarpTile& t, double copy_bytes);
// The forward epilogue (normalise, write O and the logsumexp).
InstructionMix forward_epilogue_mix(const WarpTile& t);
// FlashAttention-2 backward, one Q block against the CTA's K/V block: five GEMMs, P and dS, and
// dQ += dS K added to the fp32 accumulator with reductions.
InstructionMix backward_step_mix(const WarpTile& t, bool masked);
// The backward epilogue (dK scaled, dK and dV written from the accumulators in 4-byte stores of
// packed pairs).
InstructionMix backward_epilogue_mix(const WarpTile& t);

// How the backward kernel splits a step's dQ (block_m x head_dim) over its warps: units of
// rows x cols, the same number per warp (kernels/src/flash2_bwd_kernel.cuh, Flash2BwdTraits:
// 32 x 32, FlashAttention-2's dQ warp tile, else 16 x 64, 16 x 32, 16 x 16).
struct DqUnit {
    std::int64_t rows;
    std::int64_t cols;
    std::int64_t per_warp;  // units each warp computes
};
DqUnit backward_dq_unit(std::int64_t block_m, std::int64_t head_dim, std::int64_t warps);

// Bytes one CTA's backward step reads from shared memory as Nsight Compute counts them
// (wavefronts x 128 B): ldmatrix.x4 for the five GEMMs' operands (each warp reads Q and dO twice,
// its own K and V rows once; dQ reads dS^T and K per unit) and the LSE and D pairs (8-byte loads,
// two wavefronts each). The kernel runs whole tiles, past the end of the queries or keys too.
std::int64_t backward_step_sram_read(std::int64_t block_m, std::int64_t block_n,
                                     std::int64_t head_dim, std::int64_t elem, std::int64_t warps);

}  // namespace flashscope::sim::detail
