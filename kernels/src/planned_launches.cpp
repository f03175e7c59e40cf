// The checks every algorithm's launches share, and what the plans tell without a device.
#include <string>

#include "flashscope/core/error.hpp"
#include "flashscope/kernels/launch_plans.hpp"
#include "flashscope/kernels/workspace.hpp"
#include "launch_plan.hpp"

namespace flashscope::kernels {

namespace detail {

AttentionArgs shape_args(const AttentionProblem& problem) {
    AttentionArgs a;
    a.batch = problem.batch;
    a.heads = problem.heads;
    a.kv_heads = problem.kv_heads;
    a.seq_q = problem.seq_q;
    a.seq_k = problem.seq_k;
    a.head_dim = problem.head_dim;
    a.scale = static_cast<float>(problem.effective_scale());
    a.causal = problem.causal;
    a.dtype = problem.dtype;
    return a;
}

std::vector<PlannedLaunch> planned(LaunchPlan& plan, Algorithm algorithm, Pass pass,
                                   const TileConfig& tile, bool deterministic) {
    const AlgorithmDescriptor& row = descriptor(algorithm);
    if (!row.measures(pass)) {
        std::string passes;
        for (Pass p : row.measured_passes)
            passes += (passes.empty() ? "" : " and ") + std::string(to_string(p));
        throw ConfigError("pass", std::string(to_string(pass)),
                          passes.empty() ? row.name + " has no CUDA kernels"
                                         : row.name + " has CUDA kernels for " + passes + " only");
    }
    if (deterministic && !plan.has_deterministic_mode())
        throw ConfigError("deterministic", "true", row.name + " has no deterministic mode");
    std::vector<PlannedLaunch> out;
    for (Pass p : {Pass::fwd, Pass::bwd}) {
        if (pass != Pass::fwdbwd && pass != p) continue;
        const LaunchRequest request{tile, pass == Pass::fwdbwd && p == Pass::bwd, deterministic};
        for (auto& step : plan.plan(p, request)) out.push_back(std::move(step));
    }
    return out;
}

namespace {

std::unique_ptr<LaunchPlan> listing_plan(Algorithm algorithm) {
    AttentionProblem problem;  // any valid shape: the plans' properties do not depend on it
    return make_launch_plan(algorithm, shape_args(problem));
}

}  // namespace

}  // namespace detail

std::vector<std::string> planned_kernel_names(const AttentionProblem& problem, Algorithm algorithm,
                                              Pass pass) {
    problem.validate();
    auto plan = detail::make_launch_plan(algorithm, detail::shape_args(problem));
    std::vector<std::string> names;
    for (const auto& step : detail::planned(*plan, algorithm, pass, TileConfig{}, false))
        names.push_back(step.name);
    return names;
}

bool has_deterministic_mode(Algorithm algorithm) {
    return has_launch_plan(algorithm) && detail::listing_plan(algorithm)->has_deterministic_mode();
}

bool runs_on_current_device(Algorithm algorithm) {
    return has_launch_plan(algorithm) && device_available() &&
           detail::listing_plan(algorithm)->runs_on_current_device();
}

bool takes_tile(Algorithm algorithm) {
    return has_launch_plan(algorithm) && detail::listing_plan(algorithm)->takes_tile();
}

}  // namespace flashscope::kernels
