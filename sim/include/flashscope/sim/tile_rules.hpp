#pragma once
// Completes a partly given tile from the algorithm's schedule policy (blocks, warps, deepest
// pipeline), shrinking open blocks until every kernel fits, and says whether a complete tile can
// run at all (the schedule's fragment rules, SRAM, registers, threads), as simulate() checks it.
#include <string>

#include "flashscope/core/algorithm.hpp"
#include "flashscope/core/problem.hpp"
#include "flashscope/core/tile.hpp"
#include "flashscope/sim/gpu_spec.hpp"

namespace flashscope::sim {

class Schedule;

// Bc = ceil(M / 4d), Br = min(Bc, d) with M the SRAM per block in elements (Dao et al. 2022,
// Algorithm 1), both rounded down to multiples of 16 and clamped to [16, 256]. Kept as the
// paper's reference; the schedules' defaults follow the published kernels (flash_tile_policy.cpp).
TileConfig flash_rule_tile(const GpuSpec& gpu, const AttentionProblem& problem);

// Fills every zero field of `requested`: blocks (and warps, where the rule gives them) from
// Schedule::default_blocks, warps from Schedule::default_warps, stages the deepest from
// Schedule::deepest_stages down that fits.
TileConfig resolve_tile(const GpuSpec& gpu, const AttentionProblem& problem, Algorithm algorithm,
                        const TileConfig& requested);

// Why the complete `tile` cannot run `problem` (the ConfigError simulate() would throw, as one
// line); empty when it can.
std::string tile_infeasibility(const GpuSpec& gpu, const AttentionProblem& problem,
                               const Schedule& schedule, const TileConfig& tile);

// Whether every kernel of the pass fits one SM with the complete `tile` (SRAM, registers,
// threads): the schedule's own rules aside, and without building an error.
bool tile_fits_gpu(const GpuSpec& gpu, const AttentionProblem& problem, const Schedule& schedule,
                   const TileConfig& tile);

// The deepest pipeline from schedule.deepest_stages() down whose buffers fit; 1 when none does.
std::int64_t fitting_stages(const GpuSpec& gpu, const AttentionProblem& problem,
                            const Schedule& schedule, TileConfig tile);

}  // namespace flashscope::sim
