#include "schedule_registry.hpp"

#include <array>

namespace flashscope::sim {

KernelPlans Schedule::kernels(const PlanContext& ctx, Pass pass) const {
    KernelPlans plans;
    if (pass != Pass::bwd) plans = forward(ctx);
    if (pass != Pass::fwd) {
        for (auto& plan : backward(ctx)) plans.push_back(std::move(plan));
    }
    return plans;
}

const Schedule& schedule_for(Algorithm algorithm) {
    static const std::array<std::unique_ptr<Schedule>, 3> schedules = {
        detail::make_naive_schedule(), detail::make_flash1_schedule(),
        detail::make_flash2_schedule()};
    for (const auto& s : schedules) {
        if (s->algorithm() == algorithm) return *s;
    }
    return *schedules.back();
}

}  // namespace flashscope::sim
