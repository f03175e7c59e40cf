// FlashAttention-3's launches (sm_90a): the forward pass is one warp-specialised kernel
// (src/flash3_fwd_kernel.cuh) writing O and the logsumexp; no backward kernel yet.
#include "flash3_fwd_smem.hpp"
#include "launch_plan.hpp"

namespace flashscope::kernels::detail {
namespace {

class Flash3LaunchPlan final : public LaunchPlan {
public:
    Flash3LaunchPlan(Algorithm algorithm, const AttentionArgs& tensors)
        : m_algorithm(algorithm), m_args(tensors) {}

    std::int64_t device_bytes() const override { return 0; }
    bool runs_on_current_device() const override { return flash3_device_supported(); }

    std::vector<PlannedLaunch> plan(Pass pass, const LaunchRequest& request) override {
        if (pass != Pass::fwd) return {};  // planned() refuses passes the descriptor lacks
        return {{kernel_name(m_algorithm, "fwd"), [this, request] {
                     return bind_instantiation(m_algorithm, Pass::fwd, m_args, request);
                 }}};
    }

private:
    Algorithm m_algorithm;
    AttentionArgs m_args;
};

}  // namespace

std::unique_ptr<LaunchPlan> make_flash3_launch_plan(Algorithm algorithm,
                                                    const AttentionArgs& tensors) {
    return std::make_unique<Flash3LaunchPlan>(algorithm, tensors);
}

}  // namespace flashscope::kernels::detail
