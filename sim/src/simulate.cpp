#include "flashscope/sim/simulate.hpp"

#include <algorithm>

#include "flashscope/core/count.hpp"
#include "flashscope/core/error.hpp"
#include "flashscope/sim/analytic_model.hpp"
#include "flashscope/sim/cycle_engine.hpp"
#include "flashscope/sim/tile_rules.hpp"

namespace flashscope::sim {
namespace {

// Runs `work`, naming `where` (a kernel, "total") in any count overflow it throws; the name is
// built only then, so the common path allocates nothing.
std::string name_of(const KernelPlan& plan) {
    return plan.name();
}
std::string name_of(const char* what) {
    return what;
}
template <class Where, class Work>
auto naming_overflow(const Where& where, Work&& work) {
    try {
        return work();
    } catch (const CountOverflow& e) {
        throw CountOverflow(name_of(where) + " " + e.field(), e.value(), e.limit());
    }
}

}  // namespace

Result simulate(const SimulationRequest& req) {
    req.gpu.validate();
    req.problem.validate();
    req.tile.validate();
    const Schedule& schedule = schedule_for(req.algorithm);
    if (!schedule.supports(req.problem.pass))
        throw ConfigError("pass", std::string(to_string(req.problem.pass)),
                          std::string(to_string(req.algorithm)) + " has no simulated " +
                              std::string(to_string(req.problem.pass)) + " pass");

    Result result;
    result.gpu = req.gpu.name;
    result.problem = req.problem;
    result.algorithm = req.algorithm;
    result.model = req.model;
    result.naive_eager = req.options.naive_eager;
    schedule.check_problem(req.problem);
    schedule.check_gpu(req.gpu);
    result.tile = resolve_tile(req.gpu, req.problem, req.algorithm, req.tile);
    schedule.check_tile(result.tile, req.problem);

    const PlanContext ctx(req.problem, result.tile, req.options, req.gpu);
    const KernelPlans plans = schedule.kernels(ctx, req.problem.pass);
    std::vector<CtaResources> resources;
    std::vector<Occupancy> occupancy;
    for (const auto& plan : plans) {
        CtaResources cta = plan->resources();
        for (const KernelRegisters& measured : req.kernel_registers) {
            if (!measured.applies_to(plan->name(), req.problem, result.tile)) continue;
            if (measured.registers < 1 || measured.registers > req.gpu.max_registers_per_thread)
                throw ConfigError(
                    "registers of " + measured.kernel, std::to_string(measured.registers),
                    "must be in [1, " + std::to_string(req.gpu.max_registers_per_thread) + "]");
            if (measured.spill_bytes < 0)
                throw ConfigError("spill bytes of " + measured.kernel,
                                  std::to_string(measured.spill_bytes), "must be >= 0");
            cta.registers_per_thread = measured.registers;
            cta.spill_bytes_per_thread = measured.spill_bytes;
        }
        resources.push_back(cta);
        occupancy.push_back(occupancy_of(req.gpu, plan->name(), cta));
    }
    for (const KernelRegisters& measured : req.kernel_registers) {
        if (measured.keyed()) continue;
        const bool known = std::any_of(plans.begin(), plans.end(),
                                       [&](const auto& p) { return p->name() == measured.kernel; });
        if (!known)
            throw ConfigError("kernel_registers", measured.kernel,
                              "no kernel of that name in this configuration");
    }

    if (req.model == Model::analytic) {
        for (std::size_t k = 0; k < plans.size(); ++k)
            result.kernels.push_back(naming_overflow(*plans[k], [&] {
                return analytic_kernel(req.gpu, req.problem.dtype, *plans[k], occupancy[k]);
            }));
    } else {
        // The closed forms are cheap and their SRAM and L2 counts are the engine's: a problem
        // too large to count is refused here rather than after a long run.
        for (const auto& plan : plans) naming_overflow(*plan, [&] { return plan->closed_form(); });
        CycleEngine engine(req.gpu, req.problem.dtype, result.tile.stages, req.timeline,
                           req.timeline_points);
        for (std::size_t k = 0; k < plans.size(); ++k) {
            if (req.progress)
                engine.set_progress([&req, k, kernels = double(plans.size())](std::int64_t issued,
                                                                              std::int64_t units) {
                    req.progress((double(k) + double(issued) / double(units)) / kernels);
                });
            result.kernels.push_back(naming_overflow(
                *plans[k], [&] { return engine.run(*plans[k], occupancy[k], resources[k]); }));
        }
        result.l2_dirty_at_end_bytes = engine.l2_dirty_bytes();
        if (req.timeline) result.timeline = engine.take_timeline();
    }

    // Scheduling facts are the same whichever model ran.
    for (std::size_t k = 0; k < plans.size(); ++k) {
        KernelResult& kr = result.kernels[k];
        const CtaResources& cta = resources[k];
        kr.ctas = plans[k]->cta_count();
        kr.ctas_per_sm = occupancy[k].ctas_per_sm;
        kr.occupancy_limit = occupancy[k].limit;
        kr.occupancy = occupancy[k].warp_fraction;
        kr.waves = double(kr.ctas) / double(req.gpu.sm_count * kr.ctas_per_sm);
        kr.sram_per_cta_bytes = cta.sram_bytes;
        kr.registers_per_thread = cta.registers_per_thread;
        kr.spill_bytes_per_thread = cta.spill_bytes_per_thread;
        naming_overflow("total", [&] { result.totals += kr.metrics; });
    }
    result.totals.hbm_footprint_bytes = naming_overflow("hbm_footprint_bytes", [&] {
        return schedule.footprint_bytes(ctx, req.problem.pass).value();
    });
    const auto slowest = std::max_element(result.kernels.begin(), result.kernels.end(),
                                          [](const KernelResult& a, const KernelResult& b) {
                                              return a.metrics.time_s < b.metrics.time_s;
                                          });
    if (slowest != result.kernels.end()) result.bottleneck = slowest->bottleneck;
    result.fits_hbm = result.totals.hbm_footprint_bytes <= req.gpu.hbm_size_bytes;
    return result;
}

}  // namespace flashscope::sim
