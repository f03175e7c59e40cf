#pragma once
// One algorithm's kernel launches: the kernels/ half of the algorithm seam (the simulator's
// schedule is the other). A plan lists, for one pass, the kernels it launches in order, each named
// by the algorithm's descriptor (kernel_name(algorithm, role)), so measured records join the
// simulator's by construction. Listing touches no device: names are known on any machine. Binding
// a step allocates what the kernel needs, finds its instantiation and returns the launch.
//
// Every kernels/src/algorithms/<name>.cpp is the plan of the algorithm registered as <name> and
// defines, in flashscope::kernels::detail,
//   std::unique_ptr<LaunchPlan> make_<name>_launch_plan(Algorithm algorithm, const AttentionArgs&
//   tensors);
// CMake lists those files (launch_plans.inc): a new algorithm needs no other registration.
#include <cuda_runtime.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "flashscope/core/algorithm.hpp"
#include "flashscope/core/problem.hpp"
#include "flashscope/core/tile.hpp"
#include "flashscope/kernels/attention_args.hpp"
#include "flashscope/kernels/registry.hpp"

namespace flashscope::kernels::detail {

struct LaunchRequest {
    TileConfig tile;  // of this pass's main kernel; fields left 0 take the registry's default
    // The tile was asked for the forward kernel of a fwdbwd run: the backward kernel takes it
    // where built, else its default.
    bool tile_from_forward = false;
    bool deterministic = false;
};

using BoundLaunch = std::function<void(cudaStream_t)>;

struct PlannedLaunch {
    std::string name;                   // kernel_name(algorithm, role)
    std::function<BoundLaunch()> bind;  // throws ConfigError / NotBuiltError / CudaError
};

class LaunchPlan {
public:
    virtual ~LaunchPlan() = default;
    // The launches of `pass` (fwd or bwd, one the descriptor measures) for the plan's tensors.
    virtual std::vector<PlannedLaunch> plan(Pass pass, const LaunchRequest& request) = 0;
    // Whether the main kernel is a registry instantiation picked by tile (else the tile is
    // ignored).
    virtual bool takes_tile() const { return true; }
    // Whether the current CUDA device can run the plan's kernels (false: built for another
    // architecture, e.g. flash3's sm_90a kernels on an A100).
    virtual bool runs_on_current_device() const { return true; }
    // Whether LaunchRequest::deterministic changes anything.
    virtual bool has_deterministic_mode() const { return false; }
    virtual std::int64_t device_bytes() const = 0;  // side buffers allocated so far
};

// The plan of `algorithm` over `tensors` (device pointers, or none for listing names).
// Throws ConfigError naming "algo" when no plan exists.
std::unique_ptr<LaunchPlan> make_launch_plan(Algorithm algorithm, const AttentionArgs& tensors);

// The args of a problem's shape without device pointers: enough to list a plan's launches.
AttentionArgs shape_args(const AttentionProblem& problem);

// The planned launches of `pass` (fwdbwd: forward's, then backward's) after the checks every
// algorithm shares: the descriptor measures the pass, `deterministic` means something to the plan.
std::vector<PlannedLaunch> planned(LaunchPlan& plan, Algorithm algorithm, Pass pass,
                                   const TileConfig& tile, bool deterministic);

// The registry instantiation of (algorithm, pass) for `tensors` at the request's tile, readied on
// the device and bound to `tensors`.
BoundLaunch bind_instantiation(Algorithm algorithm, Pass pass, const AttentionArgs& tensors,
                               const LaunchRequest& request);

}  // namespace flashscope::kernels::detail
