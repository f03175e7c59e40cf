#pragma once
// The analytic model: closed-form traffic with no cache (every global access is an HBM access,
// the Theorem-2 view of Dao et al. 2022) and a roofline time per kernel with wave quantization.
#include "flashscope/sim/gpu_spec.hpp"
#include "flashscope/sim/kernel_plan.hpp"
#include "flashscope/sim/occupancy.hpp"
#include "flashscope/sim/result.hpp"

namespace flashscope::sim {

KernelResult analytic_kernel(const GpuSpec& gpu, DType dtype, const KernelPlan& plan,
                             const Occupancy& occupancy);

}  // namespace flashscope::sim
