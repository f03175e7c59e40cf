#pragma once
// What the kernels of each algorithm launch, known without a device: every algorithm with CUDA
// kernels has a launch plan (kernels/src/algorithms/<name>.cpp) that names its kernels through the
// algorithm's descriptor, so `flashscope validate` joins measured and simulated records by name.
#include <string>
#include <vector>

#include "flashscope/core/algorithm.hpp"
#include "flashscope/core/problem.hpp"

namespace flashscope::kernels {

// The kernel names AttentionWorkspace::launches(algorithm, pass, ...) returns for `problem`, in
// launch order. Throws ConfigError as launches() does: a pass the descriptor does not measure, an
// algorithm without a launch plan, an invalid problem.
std::vector<std::string> planned_kernel_names(const AttentionProblem& problem, Algorithm algorithm,
                                              Pass pass);

// Whether launches(..., deterministic = true) means something for the algorithm (its backward's
// ordered accumulation); false for an algorithm without a launch plan.
bool has_deterministic_mode(Algorithm algorithm);
// Whether the algorithm's main kernels are tiled instantiations picked by TileConfig (false: the
// tile is ignored, as for naive's cuBLAS calls).
bool takes_tile(Algorithm algorithm);
// Whether the algorithm has a launch plan at all.
bool has_launch_plan(Algorithm algorithm);
// Whether the algorithm has a launch plan whose kernels the current CUDA device can run (flash3:
// only an sm_90 GPU). False without a device.
bool runs_on_current_device(Algorithm algorithm);

}  // namespace flashscope::kernels
