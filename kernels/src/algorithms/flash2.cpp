// FlashAttention-2's launches: its tiled kernels with the row kernels around the backward's
// (row_kernel_launch_plan.hpp).
#include "row_kernel_launch_plan.hpp"

namespace flashscope::kernels::detail {

std::unique_ptr<LaunchPlan> make_flash2_launch_plan(Algorithm algorithm,
                                                    const AttentionArgs& tensors) {
    return std::make_unique<RowKernelLaunchPlan>(algorithm, tensors);
}

}  // namespace flashscope::kernels::detail
