#pragma once
// Completes a partly given tile: FlashAttention's rule for the blocks, and warps/stages that
// suit them. The result still has to pass the SRAM/register checks of the schedule.
#include "flashscope/core/algorithm.hpp"
#include "flashscope/core/problem.hpp"
#include "flashscope/core/tile.hpp"
#include "flashscope/sim/gpu_spec.hpp"

namespace flashscope::sim {

// Bc = ceil(M / 4d), Br = min(Bc, d) with M the SRAM per block in elements (Dao et al. 2022,
// Algorithm 1), both rounded down to multiples of 16 and clamped to [16, 256].
TileConfig flash_rule_tile(const GpuSpec& gpu, const AttentionProblem& problem);

// Fills every zero field of `requested`. naive: 128x128 GEMM tiles, 8 warps, 3 stages.
// flash: the rule above; warps = 4 for block_m <= 64 else 8, halved until each warp has 16 query
// rows; stages = 2, or 1 when two do not fit.
TileConfig resolve_tile(const GpuSpec& gpu, const AttentionProblem& problem, Algorithm algorithm,
                        const TileConfig& requested);

}  // namespace flashscope::sim
