#pragma once
// The launches of a flash algorithm whose backward pass is flash2's row kernels around its own main
// kernel (flash2, flash3). Forward: the tiled kernel. Backward: D = rowsum(dO o O) and a zeroed
// fp32 dQ accumulator, the tiled kernel (one CTA per K/V block, dQ added per Q block, in K/V order
// when deterministic), dQ converted to the dtype, and under GQA dK, dV summed over each group.
#include "aux_launchers.hpp"
#include "backward_buffers.hpp"
#include "launch_plan.hpp"

namespace flashscope::kernels::detail {

class RowKernelLaunchPlan : public LaunchPlan {
public:
    RowKernelLaunchPlan(Algorithm algorithm, const AttentionArgs& tensors)
        : m_algorithm(algorithm), m_args(tensors) {}

    bool has_deterministic_mode() const override { return true; }
    std::int64_t device_bytes() const override { return m_backward.bytes(); }

    std::vector<PlannedLaunch> plan(Pass pass, const LaunchRequest& request) override {
        if (pass == Pass::fwd)
            return {{name("fwd"), [this, request] {
                         return bind_instantiation(m_algorithm, Pass::fwd, m_args, request);
                     }}};
        std::vector<PlannedLaunch> out = {
            {name("bwd_preprocess"), [this] { return bind(flash2_bwd_preprocess); }},
            {name("bwd"),
             [this, request] {
                 return bind_instantiation(m_algorithm, Pass::bwd, backward_args(), request);
             }},
            {name("bwd_convert_dq"), [this] { return bind(flash2_bwd_convert_dq); }},
        };
        if (m_args.group() > 1)
            out.push_back({name("bwd_dkv_reduce"), [this] { return bind(dkv_reduce); }});
        return out;
    }

private:
    std::string name(std::string_view role) const { return kernel_name(m_algorithm, role); }

    const AttentionArgs& backward_args() {
        m_backward.attach_dq_state(m_args);
        m_backward.attach_gqa_accumulators(m_args);
        return m_args;
    }

    BoundLaunch bind(void (*launcher)(const AttentionArgs&, cudaStream_t)) {
        const AttentionArgs args = backward_args();
        return [args, launcher](cudaStream_t stream) { launcher(args, stream); };
    }

    Algorithm m_algorithm;
    AttentionArgs m_args;
    BackwardBuffers m_backward;
};

}  // namespace flashscope::kernels::detail
