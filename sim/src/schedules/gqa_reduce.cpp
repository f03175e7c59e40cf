#include "gqa_reduce.hpp"

namespace flashscope::sim::detail {
namespace {

class GqaReduce final : public PlanBase {
public:
    using PlanBase::PlanBase;

    std::int64_t unit_count() const override { return ctx().kv_heads() * grid().col_blocks(); }
    CtaResources resources() const override { return {256, 0, 32}; }
    std::int64_t step_count(std::int64_t) const override { return 1; }

    void step(std::int64_t unit, std::int64_t, Step& out) const override {
        const auto [kvh, j] = split_unit(unit, grid().col_blocks());
        const std::int64_t g = ctx().problem.group_size();
        const std::int64_t b = kvh / ctx().problem.kv_heads;
        const std::int64_t first_head = b * ctx().problem.heads + kvh % ctx().problem.kv_heads * g;
        const std::int64_t bytes = grid().cols(j) * d() * e();  // (block_n, head_dim)
        for (std::int64_t t = 0; t < g; ++t) {
            out.accesses.push_back(
                read(Tensor::d_k_expanded, first_head + t, j, 0, bytes, k_by_row));
            out.accesses.push_back(
                read(Tensor::d_v_expanded, first_head + t, j, 0, bytes, k_by_row));
        }
        out.accesses.push_back(write(Tensor::d_k, kvh, j, 0, bytes, k_by_row));
        out.accesses.push_back(write(Tensor::d_v, kvh, j, 0, bytes, k_by_row));
        out.fp32_flops = double(2 * (g - 1) * grid().cols(j) * d());
        out.pipelined = false;
    }

    CohortKey cohort_key(std::int64_t unit) const override {
        const auto [kvh, j] = split_unit(unit, grid().col_blocks());
        return row_cohort(kvh, j, grid().cols(j) < grid().block_n());
    }

    KernelCounts closed_form() const override {
        const std::int64_t g = ctx().problem.group_size();
        const Count per_tensor = ctx().kv_bytes();
        KernelCounts c;
        c.read_bytes = 2 * g * per_tensor;
        c.write_bytes = 2 * per_tensor;
        c.fp32_flops = double(2 * (g - 1)) * double(ctx().kv_heads() * ctx().problem.seq_k * d());
        return c;
    }
};

}  // namespace

std::unique_ptr<KernelPlan> make_gqa_reduce(const PlanContext& ctx, std::string name) {
    return std::make_unique<GqaReduce>(ctx, std::move(name));
}

}  // namespace flashscope::sim::detail
