#include "flashscope/sim/tile_rules.hpp"

#include <algorithm>

#include "flashscope/sim/schedule.hpp"

namespace flashscope::sim {
namespace {

std::int64_t round_down_16(std::int64_t v) { return std::clamp<std::int64_t>(v / 16 * 16, 16, 256); }

// The largest SRAM any kernel of the pass asks for with this tile.
std::int64_t sram_needed(const GpuSpec& gpu, const AttentionProblem& problem, Algorithm algorithm,
                         const TileConfig& tile) {
    const PlanContext ctx(problem, tile, {}, gpu.sram_per_block_bytes);
    std::int64_t most = 0;
    for (const auto& plan : schedule_for(algorithm).kernels(ctx, problem.pass))
        most = std::max(most, plan->resources().sram_bytes);
    return most;
}

}  // namespace

TileConfig flash_rule_tile(const GpuSpec& gpu, const AttentionProblem& problem) {
    const std::int64_t m_elems = gpu.sram_per_block_bytes / bytes_of(problem.dtype);
    const std::int64_t bc = (m_elems + 4 * problem.head_dim - 1) / (4 * problem.head_dim);
    TileConfig t;
    t.block_n = round_down_16(bc);
    t.block_m = round_down_16(std::min(bc, problem.head_dim));
    return t;
}

TileConfig resolve_tile(const GpuSpec& gpu, const AttentionProblem& problem, Algorithm algorithm,
                        const TileConfig& requested) {
    TileConfig t = requested;
    const bool naive = algorithm == Algorithm::naive;
    if (t.block_m == 0 || t.block_n == 0) {
        const TileConfig rule = naive ? TileConfig{128, 128, 0, 0} : flash_rule_tile(gpu, problem);
        if (t.block_m == 0) t.block_m = rule.block_m;
        if (t.block_n == 0) t.block_n = rule.block_n;
    }
    if (t.warps == 0) {
        t.warps = naive ? 8 : (t.block_m <= 64 ? 4 : 8);
        // flash: every warp owns at least 16 query rows
        while (!naive && t.warps > 1 && t.block_m < 16 * t.warps) t.warps /= 2;
    }
    if (t.stages == 0) {
        // The deepest pipeline whose buffers fit; the schedule reports the error if none does.
        for (std::int64_t stages = naive ? 3 : 2; stages >= 1; --stages) {
            t.stages = stages;
            if (sram_needed(gpu, problem, algorithm, t) <= gpu.sram_per_block_bytes) break;
        }
    }
    return t;
}

}  // namespace flashscope::sim
