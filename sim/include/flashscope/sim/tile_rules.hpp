#pragma once
// Completes a partly given tile from the algorithm's schedule policy (blocks, warps, deepest
// pipeline), shrinking open blocks until every kernel fits. The result still has to pass the
// SRAM/register checks and the schedule's check_tile().
#include "flashscope/core/algorithm.hpp"
#include "flashscope/core/problem.hpp"
#include "flashscope/core/tile.hpp"
#include "flashscope/sim/gpu_spec.hpp"

namespace flashscope::sim {

// Bc = ceil(M / 4d), Br = min(Bc, d) with M the SRAM per block in elements (Dao et al. 2022,
// Algorithm 1), both rounded down to multiples of 16 and clamped to [16, 256]. The FlashAttention
// schedules take their default blocks from it.
TileConfig flash_rule_tile(const GpuSpec& gpu, const AttentionProblem& problem);

// Fills every zero field of `requested`: blocks from Schedule::default_blocks, warps from
// Schedule::default_warps, stages the deepest from Schedule::deepest_stages down that fits.
TileConfig resolve_tile(const GpuSpec& gpu, const AttentionProblem& problem, Algorithm algorithm,
                        const TileConfig& requested);

}  // namespace flashscope::sim
