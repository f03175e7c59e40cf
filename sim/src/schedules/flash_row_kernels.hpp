#pragma once
// The row-wise kernels around a FlashAttention-2/3 backward pass: D = rowsum(dO * O) with the fp32
// dQ accumulator zeroed before it, and dQ converted from that accumulator after it.
// FlashAttention-3 keeps FlashAttention-2's split (flash_bwd_preprocess_kernel.h,
// flash_bwd_postprocess_kernel.h).
#include "plan_base.hpp"

namespace flashscope::sim::detail {

// D = rowsum(dO * O) per query row, and the fp32 dQ accumulator zeroed.
class BwdPreprocess final : public QueryBlockPass {
public:
    using QueryBlockPass::QueryBlockPass;

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

class ConvertDq final : public QueryBlockPass {
public:
    using QueryBlockPass::QueryBlockPass;

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

}  // namespace flashscope::sim::detail
