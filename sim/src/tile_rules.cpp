#include "flashscope/sim/tile_rules.hpp"

#include <algorithm>

#include "flashscope/sim/schedule.hpp"

namespace flashscope::sim {
namespace {

std::int64_t round_down_16(std::int64_t v) {
    return std::clamp<std::int64_t>(v / 16 * 16, 16, 256);
}

// The most any kernel of the pass asks of one CTA with this tile.
CtaResources largest_cta(const GpuSpec& gpu, const AttentionProblem& problem,
                         const Schedule& schedule, const TileConfig& tile) {
    const PlanContext ctx(problem, tile, {}, gpu);
    CtaResources most{0, 0, 0, 0};
    for (const auto& plan : schedule.kernels(ctx, problem.pass)) {
        const CtaResources r = plan->resources();
        most.threads = std::max(most.threads, r.threads);
        most.sram_bytes = std::max(most.sram_bytes, r.sram_bytes);
        most.registers_per_thread = std::max(most.registers_per_thread, r.registers_per_thread);
        most.spill_bytes_per_thread =
            std::max(most.spill_bytes_per_thread, r.spill_bytes_per_thread);
    }
    return most;
}

// Whether every kernel of the pass fits one SM with this tile. Registers beyond the limit spill
// (ptxas builds such a tile), so they bound nothing here; the spill is the SM model's to charge.
bool fits(const GpuSpec& gpu, const AttentionProblem& problem, const Schedule& schedule,
          const TileConfig& tile) {
    const CtaResources r = largest_cta(gpu, problem, schedule, tile);
    return r.sram_bytes <= gpu.sram_per_block_bytes &&
           r.registers_per_thread <= gpu.max_registers_per_thread &&
           r.threads <= gpu.max_threads_per_cta;
}

// The deepest pipeline (from `deepest` down) whose buffers fit; 1 when none does.
std::int64_t default_stages(const GpuSpec& gpu, const AttentionProblem& problem,
                            const Schedule& schedule, TileConfig tile) {
    for (std::int64_t stages = schedule.deepest_stages(); stages > 1; --stages) {
        tile.stages = stages;
        if (largest_cta(gpu, problem, schedule, tile).sram_bytes <= gpu.sram_per_block_bytes)
            return stages;
    }
    return 1;
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
    const Schedule& schedule = schedule_for(algorithm);
    const TileConfig rule = schedule.default_blocks(gpu, problem);
    auto complete = [&](std::int64_t block_m, std::int64_t block_n) {
        TileConfig t = requested;
        t.block_m = requested.block_m ? requested.block_m : block_m;
        t.block_n = requested.block_n ? requested.block_n : block_n;
        if (t.warps == 0) t.warps = schedule.default_warps(t.block_m);
        if (t.stages == 0) t.stages = default_stages(gpu, problem, schedule, t);
        return t;
    };
    TileConfig t = complete(rule.block_m, rule.block_n);
    // The rule sizes the forward pass. When some kernel (typically the backward, with dK and dV
    // accumulators) does not fit, shrink the blocks the user left open: block_n first, then
    // block_m, in steps of 16. If nothing fits, keep the rule's tile and let simulate() name
    // the limit it breaks.
    for (std::int64_t bm = rule.block_m; !fits(gpu, problem, schedule, t) && bm >= 16; bm -= 16) {
        if (requested.block_m && bm != rule.block_m) break;
        for (std::int64_t bn = rule.block_n; bn >= 16; bn -= 16) {
            if (requested.block_n && bn != rule.block_n) break;
            const TileConfig candidate = complete(bm, bn);
            if (fits(gpu, problem, schedule, candidate)) {
                t = candidate;
                break;
            }
        }
    }
    if (!fits(gpu, problem, schedule, t)) t = complete(rule.block_m, rule.block_n);
    return t;
}

}  // namespace flashscope::sim
