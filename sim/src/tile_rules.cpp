#include "flashscope/sim/tile_rules.hpp"

#include <algorithm>
#include <optional>

#include "flashscope/core/error.hpp"
#include "flashscope/sim/occupancy.hpp"
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

}  // namespace

std::int64_t fitting_stages(const GpuSpec& gpu, const AttentionProblem& problem,
                            const Schedule& schedule, TileConfig tile) {
    for (std::int64_t stages = schedule.deepest_stages(); stages > 1; --stages) {
        tile.stages = stages;
        if (largest_cta(gpu, problem, schedule, tile).sram_bytes <= gpu.sram_per_block_bytes)
            return stages;
    }
    return 1;
}

namespace {

// The refusal simulate() would throw for a complete tile, if any.
std::optional<ConfigError> tile_refusal(const GpuSpec& gpu, const AttentionProblem& problem,
                                        const Schedule& schedule, const TileConfig& tile) {
    try {
        tile.validate();
        schedule.check_problem(problem);
        schedule.check_tile(tile, problem);
        const PlanContext ctx(problem, tile, {}, gpu);
        for (const auto& plan : schedule.kernels(ctx, problem.pass))
            occupancy_of(gpu, plan->name(), plan->resources());
    } catch (const ConfigError& e) {
        return e;
    }
    return std::nullopt;
}

}  // namespace

bool tile_fits_gpu(const GpuSpec& gpu, const AttentionProblem& problem, const Schedule& schedule,
                   const TileConfig& tile) {
    const CtaResources r = largest_cta(gpu, problem, schedule, tile);
    if (r.sram_bytes > gpu.sram_per_block_bytes || r.threads > gpu.max_threads_per_cta ||
        r.registers_per_thread > gpu.max_registers_per_thread)
        return false;
    // at least one CTA per SM by every bound occupancy_of() applies
    const std::int64_t regs_per_warp = (r.registers_per_thread * 32 + 255) / 256 * 256;
    return r.sram_bytes <= gpu.sram_per_sm_bytes && r.threads <= gpu.max_threads_per_sm &&
           regs_per_warp * ((r.threads + 31) / 32) <= gpu.registers_per_sm;
}

std::string tile_infeasibility(const GpuSpec& gpu, const AttentionProblem& problem,
                               const Schedule& schedule, const TileConfig& tile) {
    const std::optional<ConfigError> refusal = tile_refusal(gpu, problem, schedule, tile);
    return refusal ? refusal->what() : std::string();
}

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
        // The rule's warps go with the rule's blocks; other blocks take the schedule's warps.
        const bool rule_blocks = t.block_m == rule.block_m && t.block_n == rule.block_n;
        if (t.warps == 0)
            t.warps = rule_blocks && rule.warps ? rule.warps : schedule.default_warps(t, problem);
        if (t.stages == 0) t.stages = fitting_stages(gpu, problem, schedule, t);
        return t;
    };
    const auto runs = [&](const TileConfig& tile) {
        return tile_infeasibility(gpu, problem, schedule, tile).empty();
    };
    TileConfig t = complete(rule.block_m, rule.block_n);
    // A refusal that names no tile field (the head dim) holds for every tile: no search.
    const std::optional<ConfigError> refusal = tile_refusal(gpu, problem, schedule, t);
    if (!refusal) return t;
    if (refusal->field() == "head_dim") return t;
    // The rule's own tile runs; a tile the user fixed in part may not. Then shrink the blocks the
    // user left open: block_n first, then block_m, in steps of 16. If nothing runs, keep the
    // rule's blocks and let simulate() name the limit they break.
    for (std::int64_t bm = rule.block_m; !runs(t) && bm >= 16; bm -= 16) {
        if (requested.block_m && bm != rule.block_m) break;
        for (std::int64_t bn = rule.block_n; bn >= 16; bn -= 16) {
            if (requested.block_n && bn != rule.block_n) break;
            const TileConfig candidate = complete(bm, bn);
            if (runs(candidate)) {
                t = candidate;
                break;
            }
        }
    }
    if (!runs(t)) t = complete(rule.block_m, rule.block_n);
    return t;
}

}  // namespace flashscope::sim
