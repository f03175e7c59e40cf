#pragma once
// The tile advisor: every tile an algorithm's kernels could be built as for a GPU and a problem,
// simulated and ranked by predicted time, each with its bottleneck and one line of why, whether
// flashscope's CUDA kernels are built for it, and why the fastest beats the runner-up.
#include <cstdint>
#include <string>
#include <vector>

#include "flashscope/sim/kernel_tiles.hpp"
#include "flashscope/sim/simulate.hpp"

namespace flashscope::sim {

struct TileAdvice {
    Result result;  // result.tile is the tile
    std::string why;
    Buildable built = Buildable::untiled;
};

struct TileRanking {
    std::vector<TileAdvice> tiles;  // feasible tiles, fastest first
    std::int64_t candidates = 0;    // tiles considered
    std::int64_t refused = 0;       // of those, refused by fragment rules, SRAM or registers
    // Feasible but not ranked: past 192 feasible tiles, a cycle-model ranking simulates only the
    // 192 the analytic model predicts fastest.
    std::int64_t pruned = 0;
    std::string verdict;  // why the first beats the second ("" with fewer than two)
};

// The block sizes (multiples of 16), warps (the schedule's candidate_warps()) and stages the
// advisor tries; a field the request's tile gives is fixed to that value.
std::vector<TileConfig> candidate_tiles(const TileConfig& fixed, std::int64_t deepest_stages,
                                        const std::vector<std::int64_t>& warps = {1, 2, 4, 8, 16});

// Ranks the feasible candidates of `request` (its tile's given fields fixed) by predicted time
// with request.model, simulating `threads` at once (0: one per hardware thread). Ties keep the
// candidate order. With the cycle model and more than 192 feasible tiles, the 192 fastest by the
// analytic model are the ones simulated (TileRanking::pruned counts the rest). Throws
// ConfigError when no candidate runs, naming the first one's limit.
TileRanking rank_tiles(const SimulationRequest& request, unsigned threads = 0);

// The fastest tile rank_tiles() finds: what `--tile best` means.
TileConfig best_tile(const SimulationRequest& request, unsigned threads = 0);

// One line of why `result` takes the time it does: its bottleneck and how busy that is, then
// what limits its residency ("tensor-bound: 87 % of the mma.sync peak; 2 CTAs/SM (registers)").
std::string explain_tile(const Result& result, const GpuSpec& gpu);

// Why `best` is faster than `runner_up`: the differences that favour it, largest first.
std::string compare_tiles(const Result& best, const Result& runner_up, const GpuSpec& gpu);

}  // namespace flashscope::sim
