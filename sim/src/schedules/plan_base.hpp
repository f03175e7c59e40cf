#pragma once
// Shared plumbing for the kernel plans of every schedule.
#include <string>
#include <utility>

#include "flashscope/sim/schedule.hpp"

namespace flashscope::sim::detail {

// Registers a thread of naive's tiled kernels needs: its share of the fp32 accumulators plus a
// fixed allowance for addresses, loop counters and fragments. Naive's GEMMs run in cuBLAS, whose
// registers ptxas does not report to this build; the flash kernels count theirs from the tile
// (register_estimate.hpp).
inline std::int64_t registers_for(std::int64_t accumulator_floats, std::int64_t threads) {
    constexpr std::int64_t k_overhead = 40;
    return ceil_div(accumulator_floats, threads) + k_overhead;
}

// Tile (row, col) of tensor t for head `head`; `axis` says how cohort members differ.
inline TileAccess read(Tensor t, std::int64_t head, std::int64_t row, std::int64_t col,
                       std::int64_t bytes, MemberAxis axis) {
    return {t, AccessKind::read, head, row, col, bytes, axis};
}
inline TileAccess write(Tensor t, std::int64_t head, std::int64_t row, std::int64_t col,
                        std::int64_t bytes, MemberAxis axis) {
    return {t, AccessKind::write, head, row, col, bytes, axis};
}
inline TileAccess reduce(Tensor t, std::int64_t head, std::int64_t row, std::int64_t bytes,
                         MemberAxis axis) {
    return {t, AccessKind::reduce, head, row, 0, bytes, axis};
}
constexpr MemberAxis k_shared = MemberAxis::shared;
constexpr MemberAxis k_by_row = MemberAxis::row;
constexpr MemberAxis k_by_col = MemberAxis::col;

class PlanBase : public KernelPlan {
public:
    PlanBase(const PlanContext& ctx, std::string name) : m_ctx(ctx), m_name(std::move(name)) {}
    std::string name() const override { return m_name; }

protected:
    const PlanContext& ctx() const { return m_ctx; }
    const TileGrid& grid() const { return m_ctx.grid; }
    std::int64_t d() const { return m_ctx.d(); }
    std::int64_t e() const { return m_ctx.elem; }
    std::int64_t warps() const { return m_ctx.tile.warps; }
    std::int64_t threads() const { return m_ctx.tile.warps * 32; }

private:
    PlanContext m_ctx;  // by value: plans outlive the caller's context
    std::string m_name;
};

// Unit u of a grid ordered (batch*heads, blocks) with the block index fastest.
struct HeadBlock {
    std::int64_t head;
    std::int64_t block;
};
inline HeadBlock split_unit(std::int64_t unit, std::int64_t blocks) {
    return {unit / blocks, unit % blocks};
}

// Softmax work per score element: scale and running max (2), subtract (1), exp (1), sum (1).
inline constexpr double k_softmax_fwd_flops = 5;
// Gradient work per score element: recompute P (sub, exp), dP - delta, times P.
inline constexpr double k_softmax_bwd_flops = 4;

// Counts of one head multiplied over all heads (every head runs the same program).
// Checked: an overflow names the count as the result fields do.
inline KernelCounts scaled(KernelCounts c, std::int64_t heads) {
    c.read_bytes = checked_mul(c.read_bytes.value(), heads, "l2_read_bytes");
    c.write_bytes = checked_mul(c.write_bytes.value(), heads, "l2_write_bytes");
    c.reduce_bytes = checked_mul(c.reduce_bytes.value(), heads, "reduce_bytes");
    c.sram_read_bytes = checked_mul(c.sram_read_bytes.value(), heads, "sram_read_bytes");
    c.sram_write_bytes = checked_mul(c.sram_write_bytes.value(), heads, "sram_write_bytes");
    c.mma_flops *= double(heads);
    c.fp32_flops *= double(heads);
    c.sfu_ops *= double(heads);
    return c;
}

// A row-wise kernel over the query blocks of every head (preprocess, convert, GQA reduce...).
// The cohort is a run of row blocks of one head with the same partial-tile class.
inline CohortKey row_cohort(std::int64_t head, std::int64_t block, bool partial,
                            std::int64_t shape = 0) {
    return {head, shape * 2 + (partial ? 1 : 0), block};
}

// A kernel with one unit per (head, query block), query blocks fastest: row-wise kernels.
class QueryBlockPlan : public PlanBase {
public:
    using PlanBase::PlanBase;
    std::int64_t unit_count() const override { return ctx().q_heads() * grid().row_blocks(); }
    CohortKey cohort_key(std::int64_t unit) const override {
        const auto [bh, i] = split_unit(unit, grid().row_blocks());
        return row_cohort(bh, i, grid().rows(i) < grid().block_m());
    }
};

// A one-step elementwise kernel over query blocks (no SRAM, few registers).
class QueryBlockPass : public QueryBlockPlan {
public:
    using QueryBlockPlan::QueryBlockPlan;
    CtaResources resources() const override { return {128, 0, 32}; }
    std::int64_t step_count(std::int64_t) const override { return 1; }
};

}  // namespace flashscope::sim::detail
