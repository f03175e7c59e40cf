#pragma once
// The row-wise kernels around a FlashAttention-2/3 backward pass: D = rowsum(dO * O) with the fp32
// dQ accumulator zeroed before it, and dQ converted from that accumulator after it.
// FlashAttention-3 keeps FlashAttention-2's split (flash_bwd_preprocess_kernel.h,
// flash_bwd_postprocess_kernel.h).
#include <algorithm>
#include <memory>
#include <string>

#include "gqa_reduce.hpp"
#include "plan_base.hpp"

namespace flashscope::sim::detail {

// The CTAs as kernels/src/elementwise_kernels.cu launches them: 256 threads over a few rows each,
// so that a query block is several CTAs (the block scheduler starts every one: cta_launch_ns).
inline constexpr std::int64_t k_row_kernel_threads = 256;
// preprocess: a row takes the lanes whose 8-column vectors cover head_dim, at most 32.
inline std::int64_t preprocess_rows_per_cta(std::int64_t head_dim) {
    std::int64_t lanes = 1;
    while (lanes < 32 && lanes * 8 < head_dim) lanes *= 2;
    return k_row_kernel_threads / lanes;
}
inline constexpr std::int64_t k_convert_rows_per_cta = 16;

class RowKernelPass : public QueryBlockPass {
public:
    RowKernelPass(const PlanContext& c, std::string name, std::int64_t rows_per_cta)
        : QueryBlockPass(c, std::move(name)), m_rows_per_cta(rows_per_cta) {}
    CtaResources resources() const override { return {k_row_kernel_threads, 0, 32}; }
    std::int64_t ctas_per_unit() const override {
        return std::max<std::int64_t>(1, grid().block_m() / m_rows_per_cta);
    }

private:
    std::int64_t m_rows_per_cta;
};

// D = rowsum(dO * O) per query row, and the fp32 dQ accumulator zeroed.
class BwdPreprocess final : public RowKernelPass {
public:
    BwdPreprocess(const PlanContext& c, std::string name)
        : RowKernelPass(c, std::move(name), preprocess_rows_per_cta(c.d())) {}

    void step(std::int64_t unit, std::int64_t, Step& out) const override {
        const auto [bh, i] = split_unit(unit, grid().row_blocks());
        const std::int64_t rows = grid().rows(i);
        out.accesses.push_back(read(Tensor::o, bh, i, 0, rows * d() * e(), k_by_row));
        out.accesses.push_back(read(Tensor::d_o, bh, i, 0, rows * d() * e(), k_by_row));
        out.accesses.push_back(write(Tensor::delta, bh, i, 0, rows * 4, k_by_row));
        out.accesses.push_back(write(Tensor::d_q_accum, bh, i, 0, rows * d() * 4, k_by_row));
        out.fp32_flops = double(2 * rows * d());
        out.pipelined = false;
    }
    KernelCounts closed_form() const override {
        const std::int64_t rows = ctx().q_heads() * ctx().problem.seq_q;
        KernelCounts c;
        c.read_bytes = 2 * rows * d() * e();
        c.write_bytes = rows * 4 + rows * d() * 4;
        c.fp32_flops = double(2 * rows * d());
        return c;
    }
};

class ConvertDq final : public RowKernelPass {
public:
    ConvertDq(const PlanContext& c, std::string name)
        : RowKernelPass(c, std::move(name), k_convert_rows_per_cta) {}

    void step(std::int64_t unit, std::int64_t, Step& out) const override {
        const auto [bh, i] = split_unit(unit, grid().row_blocks());
        const std::int64_t rows = grid().rows(i);
        out.accesses.push_back(read(Tensor::d_q_accum, bh, i, 0, rows * d() * 4, k_by_row));
        out.accesses.push_back(write(Tensor::d_q, bh, i, 0, rows * d() * e(), k_by_row));
        out.fp32_flops = double(rows * d());  // dQ *= scale
        out.pipelined = false;
    }
    KernelCounts closed_form() const override {
        const std::int64_t elems = ctx().q_heads() * ctx().problem.seq_q * d();
        KernelCounts c;
        c.read_bytes = elems * 4;
        c.write_bytes = elems * e();
        c.fp32_flops = double(elems);
        return c;
    }
};

// The backward as FlashAttention-2 and -3 launch it: D and the zeroed dQ accumulator, the main
// kernel `Main`, dQ converted, and under GQA the dK/dV reduce. `name` maps a kernel's role to its
// name (the schedule's kernel_name).
template <typename Main, typename Name>
KernelPlans backward_with_row_kernels(const PlanContext& c, const Name& name) {
    KernelPlans plans;
    plans.push_back(std::make_unique<BwdPreprocess>(c, name("bwd_preprocess")));
    plans.push_back(std::make_unique<Main>(c, name("bwd")));
    plans.push_back(std::make_unique<ConvertDq>(c, name("bwd_convert_dq")));
    if (c.gqa()) plans.push_back(make_gqa_reduce(c, name("bwd_dkv_reduce")));
    return plans;
}

// Device memory of FlashAttention-2 and -3 at their peak: Q, K, V, O and the logsumexp; the
// backward adds dO, D, the fp32 dQ accumulator, dQ, dK, dV (and per-query-head dK/dV under GQA).
inline Count flash_footprint_bytes(const PlanContext& c, Pass pass) {
    const Count fwd = 2 * c.q_bytes() + 2 * c.kv_bytes() + c.q_stat_bytes();
    if (pass == Pass::fwd) return fwd;
    const Count rows_d = Count(c.q_heads()) * c.problem.seq_q * c.d();
    return fwd + c.q_bytes() + c.q_stat_bytes() + rows_d * 4 + c.q_bytes() + 2 * c.kv_bytes() +
           expanded_dkv_bytes(c);
}

}  // namespace flashscope::sim::detail
