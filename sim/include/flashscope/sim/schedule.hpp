#pragma once
// An algorithm as the simulator sees it: its tile policy (default tile, warps, stages, the rules a
// tile must keep) and, for a problem and a tile, the kernels it launches in order, each a
// KernelPlan named through the algorithm's descriptor (core/algorithm.hpp). One implementation
// per file in sim/src/schedules, registered by name in schedule_registry.cpp.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "flashscope/core/algorithm.hpp"
#include "flashscope/core/count.hpp"
#include "flashscope/core/problem.hpp"
#include "flashscope/core/tile.hpp"
#include "flashscope/sim/gpu_spec.hpp"
#include "flashscope/sim/kernel_plan.hpp"
#include "flashscope/sim/tile_grid.hpp"

namespace flashscope::sim {

struct ScheduleOptions {
    // naive only: the kernels PyTorch's eager autograd launches for
    // `softmax(q @ k.transpose(-2, -1) * scale) @ v` (out-of-place scale, its two-kernel softmax
    // backward, the copy of dK^T; mask and dropout kernels when asked) and the tensors it keeps
    // alive, instead of kernels/' fused GEMM epilogue and softmax.
    bool naive_eager = false;
};

// Everything a plan needs, with the derived sizes spelled out once.
struct PlanContext {
    PlanContext(const AttentionProblem& p, const TileConfig& t, const ScheduleOptions& o,
                std::int64_t sram_per_block)
        : problem(p),
          tile(t),
          options(o),
          sram_per_block_bytes(sram_per_block),
          grid(p, t),
          elem(bytes_of(p.dtype)) {}
    // With the whole GPU: for schedules whose launch heuristics read it (flash1_released).
    PlanContext(const AttentionProblem& p, const TileConfig& t, const ScheduleOptions& o,
                const GpuSpec& g)
        : PlanContext(p, t, o, g.sram_per_block_bytes) {
        gpu = g;
    }

    AttentionProblem problem;
    TileConfig tile;  // complete
    ScheduleOptions options;
    std::int64_t sram_per_block_bytes;  // of the GPU: decides whether a softmax row is cached
    TileGrid grid;
    std::int64_t elem;  // bytes per element of inputs, outputs and naive's N x N buffers
    GpuSpec gpu;        // empty (sm_count 0) when built from sram_per_block alone

    std::int64_t d() const { return problem.head_dim; }
    std::int64_t q_heads() const { return problem.batch * problem.heads; }
    std::int64_t kv_heads() const { return problem.batch * problem.kv_heads; }
    // The K/V head that query head `bh` (= b * heads + h) reads.
    std::int64_t kv_head_of(std::int64_t bh) const {
        return bh / problem.heads * problem.kv_heads + bh % problem.heads / problem.group_size();
    }
    bool gqa() const { return problem.kv_heads != problem.heads; }
    // Bytes of the usual O(N d) tensors, and of one N x N matrix per head (checked counts).
    Count q_bytes() const { return Count(q_heads()) * problem.seq_q * d() * elem; }
    Count kv_bytes() const { return Count(kv_heads()) * problem.seq_k * d() * elem; }
    Count q_stat_bytes() const { return Count(q_heads()) * problem.seq_q * 4; }  // fp32 per row
    Count nn_bytes() const { return Count(q_heads()) * problem.seq_q * problem.seq_k * elem; }
};

using KernelPlans = std::vector<std::unique_ptr<KernelPlan>>;

class Schedule {
public:
    explicit Schedule(Algorithm algorithm) : m_algorithm(algorithm) {}
    virtual ~Schedule() = default;
    Schedule(const Schedule&) = delete;
    Schedule& operator=(const Schedule&) = delete;

    Algorithm algorithm() const { return m_algorithm; }
    std::string_view summary() const;
    bool supports(Pass pass) const;  // the descriptor's simulated passes

    // Tile policy. block_m and block_n for the problem's pass when the user leaves them open, and
    // warps where the rule fixes them with the blocks (0: default_warps decides).
    virtual TileConfig default_blocks(const GpuSpec& gpu,
                                      const AttentionProblem& problem) const = 0;
    // Warps for blocks the user gave (or the rule left without warps).
    virtual std::int64_t default_warps(const TileConfig& blocks,
                                       const AttentionProblem& problem) const = 0;
    // The warp counts the tile advisor tries: 1, 2, 4, 8, 16 unless the CTA's structure fixes them
    // (flash3: a producer warpgroup and one to three consumer warpgroups).
    virtual std::vector<std::int64_t> candidate_warps() const { return {1, 2, 4, 8, 16}; }
    // resolve_tile() picks the deepest pipeline from here down whose buffers fit.
    virtual std::int64_t deepest_stages() const = 0;
    // Rules a complete tile must keep beyond SRAM and registers (warps per fragment...); throws
    // ConfigError naming the field, the value and the limit.
    virtual void check_tile(const TileConfig& tile, const AttentionProblem& problem) const;
    // Problems the algorithm cannot run at all (a head dim, dtype or GQA its kernels refuse);
    // throws ConfigError naming the field. simulate() asks before it resolves the tile.
    virtual void check_problem(const AttentionProblem& problem) const;
    // GPUs the algorithm cannot run on (flash3 needs Hopper's wgmma and TMA); throws ConfigError
    // naming the gpu and the requirement. simulate() and the tile advisor ask first.
    virtual void check_gpu(const GpuSpec& gpu) const;
    // Whether its GEMMs are Hopper's wgmma: explanations quote the wgmma peak then.
    virtual bool uses_wgmma() const { return false; }

    virtual KernelPlans forward(const PlanContext& ctx) const = 0;
    virtual KernelPlans backward(const PlanContext& ctx) const = 0;
    // Device memory the algorithm needs at its peak for this pass (inputs, outputs, buffers),
    // a checked count (PlanContext's byte sizes are Counts).
    virtual Count footprint_bytes(const PlanContext& ctx, Pass pass) const = 0;

    KernelPlans kernels(const PlanContext& ctx, Pass pass) const;  // fwd, bwd or both in order

protected:
    // "<algorithm>_<role>" from the descriptor; the role must be listed there.
    std::string kernel_name(std::string_view role) const;

private:
    Algorithm m_algorithm;
};

// Throws ConfigError naming "algo" when no schedule is registered for the algorithm.
const Schedule& schedule_for(Algorithm algorithm);
// Adds the schedule of schedule->algorithm(), which must be registered in core and have no
// schedule yet (ConfigError otherwise). For tests and plug-ins; register before threads simulate.
void register_schedule(std::unique_ptr<Schedule> schedule);

}  // namespace flashscope::sim
