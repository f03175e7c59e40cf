// The simulator's schedules by algorithm name. A built-in is one row of k_builtins; its factory
// is defined in its own file (sim/src/schedules/<algo>.cpp) and its descriptor row lives in
// core/src/algorithm_table.cpp. Tests and plug-ins add more with register_schedule().
#include <mutex>
#include <string>

#include "flashscope/core/error.hpp"
#include "flashscope/sim/schedule.hpp"

namespace flashscope::sim {

namespace detail {
std::unique_ptr<Schedule> make_naive_schedule(Algorithm algorithm);
std::unique_ptr<Schedule> make_flash1_schedule(Algorithm algorithm);
std::unique_ptr<Schedule> make_flash2_schedule(Algorithm algorithm);
std::unique_ptr<Schedule> make_flash1_released_schedule(Algorithm algorithm);
std::unique_ptr<Schedule> make_flash3_schedule(Algorithm algorithm);
}  // namespace detail

namespace {

struct BuiltIn {
    std::string_view name;  // the descriptor's name
    std::unique_ptr<Schedule> (*make)(Algorithm);
};

constexpr BuiltIn k_builtins[] = {
    {"naive", detail::make_naive_schedule},
    {"flash1", detail::make_flash1_schedule},
    {"flash2", detail::make_flash2_schedule},
    {"flash1_released", detail::make_flash1_released_schedule},
    {"flash3", detail::make_flash3_schedule},
};

// Schedules indexed by Algorithm::index(); empty slots are algorithms without one.
class ScheduleRegistry {
public:
    static ScheduleRegistry& instance() {
        static ScheduleRegistry registry;
        return registry;
    }

    const Schedule& find(Algorithm algorithm) const {
        std::lock_guard lock(m_mutex);
        const std::size_t i = algorithm.index();
        if (i >= m_schedules.size() || !m_schedules[i])
            throw ConfigError("algo", std::string(to_string(algorithm)),
                              "has no simulator schedule");
        return *m_schedules[i];
    }

    void add(std::unique_ptr<Schedule> schedule) {
        std::lock_guard lock(m_mutex);
        const Algorithm algorithm = schedule->algorithm();
        const std::size_t i = algorithm.index();
        if (i < m_schedules.size() && m_schedules[i])
            throw ConfigError("algo", std::string(to_string(algorithm)), "already has a schedule");
        if (i >= m_schedules.size()) m_schedules.resize(i + 1);
        m_schedules[i] = std::move(schedule);
    }

private:
    ScheduleRegistry() {
        for (const BuiltIn& b : k_builtins) {
            const Algorithm algorithm = parse_algorithm(b.name);
            add(b.make(algorithm));
        }
    }

    mutable std::mutex m_mutex;
    std::vector<std::unique_ptr<Schedule>> m_schedules;
};

}  // namespace

std::string_view Schedule::summary() const {
    return descriptor(m_algorithm).summary;
}

bool Schedule::supports(Pass pass) const {
    return descriptor(m_algorithm).simulates(pass);
}

void Schedule::check_tile(const TileConfig&, const AttentionProblem&) const {}
void Schedule::check_problem(const AttentionProblem&) const {}
void Schedule::check_gpu(const GpuSpec&) const {}

std::string Schedule::kernel_name(std::string_view role) const {
    return flashscope::kernel_name(m_algorithm, role);
}

KernelPlans Schedule::kernels(const PlanContext& ctx, Pass pass) const {
    KernelPlans plans;
    if (pass != Pass::bwd) plans = forward(ctx);
    if (pass != Pass::fwd) {
        for (auto& plan : backward(ctx)) plans.push_back(std::move(plan));
    }
    return plans;
}

const Schedule& schedule_for(Algorithm algorithm) {
    return ScheduleRegistry::instance().find(algorithm);
}

void register_schedule(std::unique_ptr<Schedule> schedule) {
    ScheduleRegistry::instance().add(std::move(schedule));
}

}  // namespace flashscope::sim
