// Standard attention as a framework runs it: S = scale * Q K^T by a GEMM, P = softmax(S) by a
// row-wise kernel, O = P V by a second GEMM; S and P live in HBM. The backward pass reads the
// stored P: dV = P^T dO, dP = dO V^T, dS = P * (dP - rowsum(dO * O)), dQ = dS K, dK = dS^T Q.
#include "gqa_reduce.hpp"
#include "naive_kernels.hpp"
#include "schedule_registry.hpp"

namespace flashscope::sim::detail {
namespace {

class NaiveSchedule final : public Schedule {
public:
    Algorithm algorithm() const override { return Algorithm::naive; }
    std::string_view summary() const override {
        return "standard attention: S and P written to and read from HBM by separate kernels";
    }

    KernelPlans forward(const PlanContext& c) const override {
        const bool eager = c.options.naive_eager;
        KernelPlans plans;
        plans.push_back(make_score_gemm(c, "naive_qk", Tensor::q, Tensor::k, Tensor::s, !eager));
        if (eager) {
            plans.push_back(make_elementwise(c, "naive_scale", Tensor::s));
            if (c.problem.causal) plans.push_back(make_elementwise(c, "naive_mask", Tensor::s));
        }
        plans.push_back(make_softmax(c));
        if (eager && c.problem.dropout > 0)
            plans.push_back(make_elementwise(c, "naive_dropout", Tensor::p));
        plans.push_back(make_row_gemm(c, "naive_pv", Tensor::p, Tensor::v, Tensor::o));
        return plans;
    }

    KernelPlans backward(const PlanContext& c) const override {
        KernelPlans plans;
        plans.push_back(make_col_gemm(c, "naive_dv", Tensor::p, Tensor::d_o, Tensor::d_v_expanded));
        plans.push_back(make_score_gemm(c, "naive_dp", Tensor::d_o, Tensor::v, Tensor::d_p, false));
        plans.push_back(make_softmax_backward(c));
        plans.push_back(make_row_gemm(c, "naive_dq", Tensor::d_s, Tensor::k, Tensor::d_q));
        plans.push_back(make_col_gemm(c, "naive_dk", Tensor::d_s, Tensor::q, Tensor::d_k_expanded));
        if (c.gqa()) plans.push_back(make_gqa_reduce(c, "naive_dkv_reduce"));
        return plans;
    }

    std::int64_t footprint_bytes(const PlanContext& c, Pass pass) const override {
        const std::int64_t qkvo = 2 * c.q_bytes() + 2 * c.kv_bytes();
        // At the softmax both S and P are live; eager mode's out-of-place scale adds a copy.
        const std::int64_t fwd = qkvo + (c.options.naive_eager ? 3 : 2) * c.nn_bytes();
        // P is kept for the backward pass; dP and dS are live together; + dO, dQ, dK, dV.
        const std::int64_t bwd = qkvo + 3 * c.nn_bytes() + 2 * c.q_bytes() + 2 * c.kv_bytes() +
                                 expanded_dkv_bytes(c);
        switch (pass) {
            case Pass::fwd: return fwd;
            case Pass::bwd: return bwd;
            case Pass::fwdbwd: return std::max(fwd, bwd);
        }
        return bwd;
    }
};

}  // namespace

std::unique_ptr<Schedule> make_naive_schedule() { return std::make_unique<NaiveSchedule>(); }

}  // namespace flashscope::sim::detail
