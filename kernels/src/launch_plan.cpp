#include "launch_plan.hpp"

#include <string>
#include <string_view>

#include "flashscope/core/error.hpp"
#include "flashscope/kernels/launch_plans.hpp"

namespace flashscope::kernels::detail {

#define FLASHSCOPE_LAUNCH_PLAN(name)                                           \
    std::unique_ptr<LaunchPlan> make_##name##_launch_plan(Algorithm algorithm, \
                                                          const AttentionArgs& tensors);
#include "launch_plans.inc"
#undef FLASHSCOPE_LAUNCH_PLAN

namespace {

using PlanFactory = std::unique_ptr<LaunchPlan> (*)(Algorithm, const AttentionArgs&);

struct PlanRow {
    std::string_view name;
    PlanFactory make;
};

constexpr PlanRow k_plans[] = {
#define FLASHSCOPE_LAUNCH_PLAN(name) {#name, &make_##name##_launch_plan},
#include "launch_plans.inc"
#undef FLASHSCOPE_LAUNCH_PLAN
};

const PlanRow* find_plan(Algorithm algorithm) {
    for (const PlanRow& row : k_plans)
        if (row.name == to_string(algorithm)) return &row;
    return nullptr;
}

}  // namespace

std::unique_ptr<LaunchPlan> make_launch_plan(Algorithm algorithm, const AttentionArgs& tensors) {
    if (const PlanRow* row = find_plan(algorithm)) return row->make(algorithm, tensors);
    const std::string name(to_string(algorithm));
    throw ConfigError("algo", name,
                      "has no CUDA kernels (no kernels/src/algorithms/" + name + ".cpp)");
}

BoundLaunch bind_instantiation(Algorithm algorithm, Pass pass, const AttentionArgs& tensors,
                               const LaunchRequest& request) {
    const KernelRegistry& registry = KernelRegistry::instance();
    KernelKey key{algorithm, pass, tensors.dtype, tensors.head_dim, request.tile};
    const KernelEntry* entry = nullptr;
    try {
        entry = &registry.find(key);
    } catch (const NotBuiltError&) {
        if (!request.tile_from_forward || request.tile == TileConfig{}) throw;
        key.tile = TileConfig{};
        entry = &registry.find(key);
    }
    entry->prepare();
    const KernelLauncher launch = entry->launch;
    const bool deterministic = request.deterministic;
    return [tensors, launch, deterministic](cudaStream_t stream) {
        launch(tensors, deterministic, stream);
    };
}

}  // namespace flashscope::kernels::detail

namespace flashscope::kernels {

bool has_launch_plan(Algorithm algorithm) {
    return detail::find_plan(algorithm) != nullptr;
}

}  // namespace flashscope::kernels
