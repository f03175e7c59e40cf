// Standard attention: S = scale * Q K^T by a GEMM, P = softmax(S) by a row-wise kernel, O = P V
// by a second GEMM; S and P live in HBM. The backward pass reads the stored P: dV = P^T dO,
// dP = dO V^T, dS = P * (dP - rowsum(dO * O)), dQ = dS K, dK = dS^T Q. This is what kernels/
// runs (scale fused into the GEMM, mask into the softmax); naive_eager models instead what
// PyTorch's eager autograd launches for the same expression (eager_kernels.hpp).
#include "eager_kernels.hpp"
#include "gqa_reduce.hpp"
#include "naive_kernels.hpp"

namespace flashscope::sim::detail {
namespace {

class NaiveSchedule final : public Schedule {
public:
    using Schedule::Schedule;

    // cuBLAS-like GEMM tiles: 128 x 128, 8 warps, up to 3 stages; no per-warp fragment rule.
    TileConfig default_blocks(const GpuSpec&, const AttentionProblem&) const override {
        return TileConfig{128, 128, 0, 0};
    }
    std::int64_t default_warps(const TileConfig&, const AttentionProblem&) const override {
        return 8;
    }
    std::int64_t deepest_stages() const override { return 3; }

    KernelPlans forward(const PlanContext& c) const override {
        if (c.options.naive_eager) return eager_forward(c);
        KernelPlans plans;
        plans.push_back(
            make_score_gemm(c, kernel_name("qk"), Tensor::q, Tensor::k, Tensor::s, true));
        plans.push_back(make_softmax(c, kernel_name("softmax")));
        plans.push_back(make_row_gemm(c, kernel_name("pv"), Tensor::p, Tensor::v, Tensor::o));
        return plans;
    }

    KernelPlans backward(const PlanContext& c) const override {
        if (c.options.naive_eager) return eager_backward(c);
        KernelPlans plans;
        plans.push_back(
            make_col_gemm(c, kernel_name("dv"), Tensor::p, Tensor::d_o, Tensor::d_v_expanded));
        plans.push_back(
            make_score_gemm(c, kernel_name("dp"), Tensor::d_o, Tensor::v, Tensor::d_p, false));
        plans.push_back(make_softmax_backward(c, kernel_name("softmax_bwd")));
        plans.push_back(make_row_gemm(c, kernel_name("dq"), Tensor::d_s, Tensor::k, Tensor::d_q));
        plans.push_back(
            make_col_gemm(c, kernel_name("dk"), Tensor::d_s, Tensor::q, Tensor::d_k_expanded));
        if (c.gqa()) plans.push_back(make_gqa_reduce(c, kernel_name("dkv_reduce")));
        return plans;
    }

    Count footprint_bytes(const PlanContext& c, Pass pass) const override {
        if (c.options.naive_eager) return eager_footprint_bytes(c, pass);
        const Count qkvo = 2 * c.q_bytes() + 2 * c.kv_bytes();
        // At the softmax both S and P are live.
        const Count fwd = qkvo + 2 * c.nn_bytes();
        // P is kept for the backward pass; dP and dS are live together; + dO, dQ, dK, dV.
        const Count bwd =
            qkvo + 3 * c.nn_bytes() + 2 * c.q_bytes() + 2 * c.kv_bytes() + expanded_dkv_bytes(c);
        switch (pass) {
            case Pass::fwd:
                return fwd;
            case Pass::bwd:
                return bwd;
            case Pass::fwdbwd:
                return std::max(fwd, bwd);
        }
        return bwd;
    }

private:
    // PyTorch 2.x eager autograd of `softmax(q @ k.transpose(-2, -1) * scale) @ v`, kernel for
    // kernel (docs/MODEL.md, "naive, eager"): bmm, mul, softmax, bmm; mask and dropout as the
    // in-place kernels a user's code would add.
    KernelPlans eager_forward(const PlanContext& c) const {
        KernelPlans plans;
        plans.push_back(
            make_score_gemm(c, kernel_name("qk"), Tensor::q, Tensor::k, Tensor::s, false));
        plans.push_back(
            make_eager_elementwise(c, kernel_name("scale"), {Tensor::s}, Tensor::s_scaled));
        if (c.problem.causal)
            plans.push_back(make_elementwise(c, kernel_name("mask"), Tensor::s_scaled));
        plans.push_back(make_eager_softmax(c, kernel_name("softmax")));
        if (c.problem.dropout > 0)
            plans.push_back(make_elementwise(c, kernel_name("dropout"), Tensor::p));
        plans.push_back(make_row_gemm(c, kernel_name("pv"), Tensor::p, Tensor::v, Tensor::o));
        return plans;
    }
    // BmmBackward0 computes mat2's gradient before self's (the codegen emits derivatives.yaml's
    // formulas in sorted key order: "mat2" < "self"); softmax's backward is two kernels;
    // AccumulateGrad copies dK^T into K's layout (dQ and dV are stolen without a copy).
    KernelPlans eager_backward(const PlanContext& c) const {
        KernelPlans plans;
        plans.push_back(
            make_col_gemm(c, kernel_name("dv"), Tensor::p, Tensor::d_o, Tensor::d_v_expanded));
        plans.push_back(
            make_score_gemm(c, kernel_name("dp"), Tensor::d_o, Tensor::v, Tensor::d_p, false));
        plans.push_back(make_eager_elementwise(c, kernel_name("softmax_bwd_mul"),
                                               {Tensor::d_p, Tensor::p}, Tensor::d_p_times_p));
        plans.push_back(make_eager_softmax_backward(c, kernel_name("softmax_bwd")));
        plans.push_back(
            make_eager_elementwise(c, kernel_name("scale_bwd"), {Tensor::d_s_scaled}, Tensor::d_s));
        plans.push_back(
            make_col_gemm(c, kernel_name("dk"), Tensor::d_s, Tensor::q, Tensor::d_k_transposed));
        plans.push_back(make_row_gemm(c, kernel_name("dq"), Tensor::d_s, Tensor::k, Tensor::d_q));
        plans.push_back(make_eager_transpose_copy(c, kernel_name("dk_transpose")));
        if (c.gqa()) plans.push_back(make_gqa_reduce(c, kernel_name("dkv_reduce")));
        return plans;
    }
};

}  // namespace

std::unique_ptr<Schedule> make_naive_schedule(Algorithm algorithm) {
    return std::make_unique<NaiveSchedule>(algorithm);
}

}  // namespace flashscope::sim::detail
