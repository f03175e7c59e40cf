// FlashAttention-3's launches (sm_90a): flash2's (row_kernel_launch_plan.hpp) with the
// warp-specialised kernels (src/flash3_fwd_kernel.cuh, src/flash3_bwd_kernel.cuh), on Hopper only.
#include "flash3_fwd_smem.hpp"
#include "row_kernel_launch_plan.hpp"

namespace flashscope::kernels::detail {
namespace {

class Flash3LaunchPlan final : public RowKernelLaunchPlan {
public:
    using RowKernelLaunchPlan::RowKernelLaunchPlan;
    bool runs_on_current_device() const override { return flash3_device_supported(); }
};

}  // namespace

std::unique_ptr<LaunchPlan> make_flash3_launch_plan(Algorithm algorithm,
                                                    const AttentionArgs& tensors) {
    return std::make_unique<Flash3LaunchPlan>(algorithm, tensors);
}

}  // namespace flashscope::kernels::detail
