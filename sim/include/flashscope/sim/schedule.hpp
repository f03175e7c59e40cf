#pragma once
// An algorithm as the simulator sees it: for a problem and a tile, the kernels it launches in
// order, each a KernelPlan. One implementation per file in sim/src/schedules, registered by name.
#include <memory>
#include <string_view>
#include <vector>

#include "flashscope/core/algorithm.hpp"
#include "flashscope/core/problem.hpp"
#include "flashscope/core/tile.hpp"
#include "flashscope/sim/kernel_plan.hpp"
#include "flashscope/sim/tile_grid.hpp"

namespace flashscope::sim {

struct ScheduleOptions {
    // naive only: count the separate scale, mask and dropout kernels of an eager framework
    // (PyTorch's `softmax(q @ k.T * scale + mask)`) instead of fusing them into the GEMM/softmax.
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

    AttentionProblem problem;
    TileConfig tile;  // complete
    ScheduleOptions options;
    std::int64_t sram_per_block_bytes;  // of the GPU: decides whether a softmax row is cached
    TileGrid grid;
    std::int64_t elem;  // bytes per element of inputs, outputs and naive's N x N buffers

    std::int64_t d() const { return problem.head_dim; }
    std::int64_t q_heads() const { return problem.batch * problem.heads; }
    std::int64_t kv_heads() const { return problem.batch * problem.kv_heads; }
    // The K/V head that query head `bh` (= b * heads + h) reads.
    std::int64_t kv_head_of(std::int64_t bh) const {
        return bh / problem.heads * problem.kv_heads + bh % problem.heads / problem.group_size();
    }
    bool gqa() const { return problem.kv_heads != problem.heads; }
    // Bytes of the usual O(N d) tensors.
    std::int64_t q_bytes() const { return q_heads() * problem.seq_q * d() * elem; }
    std::int64_t kv_bytes() const { return kv_heads() * problem.seq_k * d() * elem; }
    std::int64_t q_stat_bytes() const { return q_heads() * problem.seq_q * 4; }  // fp32 per row
    std::int64_t nn_bytes() const { return q_heads() * problem.seq_q * problem.seq_k * elem; }
};

using KernelPlans = std::vector<std::unique_ptr<KernelPlan>>;

class Schedule {
public:
    virtual ~Schedule() = default;
    virtual Algorithm algorithm() const = 0;
    virtual std::string_view summary() const = 0;
    virtual KernelPlans forward(const PlanContext& ctx) const = 0;
    virtual KernelPlans backward(const PlanContext& ctx) const = 0;
    // Device memory the algorithm needs at its peak for this pass (inputs, outputs, buffers).
    virtual std::int64_t footprint_bytes(const PlanContext& ctx, Pass pass) const = 0;

    KernelPlans kernels(const PlanContext& ctx, Pass pass) const;  // fwd, bwd or both in order
};

const Schedule& schedule_for(Algorithm algorithm);

}  // namespace flashscope::sim
