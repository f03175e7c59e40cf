// KernelPlan::step_run: the engine asks a plan for one step and replays it for the run of steps
// the plan says differ only by their tiles' row. Here every step of every unit of every plan is
// checked against that claim, over problems with partial blocks, causal masks in both alignments
// and GQA, so a plan that claims a run can never change a simulated number.
#include <gtest/gtest.h>

#include "flashscope/sim/cycle_engine.hpp"
#include "flashscope/sim/result_io.hpp"
#include "flashscope/sim/tile_rules.hpp"
#include "sim_test_support.hpp"

using namespace flashscope;
using namespace flashscope::sim;
using namespace flashscope::sim::testing;

namespace {

// Step b is step a with every access `rows` row blocks further on.
::testing::AssertionResult same_but_rows(const Step& a, const Step& b, std::int64_t rows) {
    if (a.accesses.size() != b.accesses.size())
        return ::testing::AssertionFailure() << "access count differs";
    for (std::size_t i = 0; i < a.accesses.size(); ++i) {
        const TileAccess &x = a.accesses[i], &y = b.accesses[i];
        if (x.tensor != y.tensor || x.kind != y.kind || x.head != y.head || x.row + rows != y.row ||
            x.col != y.col || x.bytes != y.bytes || x.member_axis != y.member_axis)
            return ::testing::AssertionFailure() << "access " << i << " differs";
    }
    if (a.mma_flops != b.mma_flops || a.fp32_flops != b.fp32_flops || a.sfu_ops != b.sfu_ops ||
        a.sram_read_bytes != b.sram_read_bytes || a.sram_write_bytes != b.sram_write_bytes ||
        a.pipelined != b.pipelined)
        return ::testing::AssertionFailure() << "work differs";
    if ((a.warp_mix == nullptr) != (b.warp_mix == nullptr) ||
        (a.warp_mix && !(*a.warp_mix == *b.warp_mix)))
        return ::testing::AssertionFailure() << "warp mix differs";
    return ::testing::AssertionSuccess();
}

// A plan as given, except that it claims no runs: the engine asks it for every step.
class StepByStep final : public KernelPlan {
public:
    explicit StepByStep(const KernelPlan& plan) : m_plan(plan) {}
    std::string name() const override { return m_plan.name(); }
    std::int64_t unit_count() const override { return m_plan.unit_count(); }
    std::int64_t ctas_per_unit() const override { return m_plan.ctas_per_unit(); }
    CtaResources resources() const override { return m_plan.resources(); }
    std::int64_t step_count(std::int64_t unit) const override { return m_plan.step_count(unit); }
    void step(std::int64_t unit, std::int64_t index, Step& out) const override {
        m_plan.step(unit, index, out);
    }
    CohortKey cohort_key(std::int64_t unit) const override { return m_plan.cohort_key(unit); }
    KernelCounts closed_form() const override { return m_plan.closed_form(); }

private:
    const KernelPlan& m_plan;
};

}  // namespace

// The engine gives the same numbers, to the bit, whether it replays runs or asks for every step.
TEST(StepRun, EngineResultsDoNotDependOnRuns) {
    const GpuSpec gpu = gpu_preset("h100-sxm5");
    for (bool causal : {false, true})
        for (std::int64_t kv_heads : {8, 2}) {
            SimulationRequest req = request(Algorithm::flash2, Model::cycle);
            req.problem.batch = 2;
            req.problem.heads = 8;
            req.problem.kv_heads = kv_heads;
            req.problem.seq_q = 3000;
            req.problem.seq_k = 5000;
            req.problem.causal = causal;
            req.problem.pass = Pass::fwdbwd;
            const TileConfig tile = resolve_tile(gpu, req.problem, req.algorithm, {});
            const PlanContext ctx(req.problem, tile, req.options, gpu);
            const KernelPlans plans = schedule_for(req.algorithm).kernels(ctx, Pass::fwdbwd);
            CycleEngine runs(gpu, req.problem.dtype, tile.stages, true, 64);
            CycleEngine steps(gpu, req.problem.dtype, tile.stages, true, 64);
            for (const auto& plan : plans) {
                const Occupancy occ = occupancy_of(gpu, plan->name(), plan->resources());
                const KernelResult a = runs.run(*plan, occ);
                const KernelResult b = steps.run(StepByStep(*plan), occ);
                SCOPED_TRACE(plan->name() + (causal ? " causal" : "") + " kv_heads " +
                             std::to_string(kv_heads));
                EXPECT_EQ(json_text(metrics_to_json(a.metrics)),
                          json_text(metrics_to_json(b.metrics)));
                EXPECT_EQ(a.bottleneck, b.bottleneck);
                ASSERT_EQ(a.wave_spans.size(), b.wave_spans.size());
                for (std::size_t w = 0; w < a.wave_spans.size(); ++w) {
                    EXPECT_EQ(a.wave_spans[w].begin_s, b.wave_spans[w].begin_s);
                    EXPECT_EQ(a.wave_spans[w].end_s, b.wave_spans[w].end_s);
                }
            }
            EXPECT_EQ(runs.l2_dirty_bytes(), steps.l2_dirty_bytes());
            const auto ta = runs.take_timeline(), tb = steps.take_timeline();
            ASSERT_EQ(ta.size(), tb.size());
            for (std::size_t i = 0; i < ta.size(); ++i) {
                EXPECT_EQ(ta[i].t_end_s, tb[i].t_end_s);
                EXPECT_EQ(ta[i].utilization, tb[i].utilization);
            }
        }
}

TEST(StepRun, EveryClaimedRunRepeatsItsFirstStepOneRowFurtherPerStep) {
    struct Shape {
        std::int64_t seq_q, seq_k, heads, kv_heads;
        bool causal;
    };
    const Shape shapes[] = {{1024, 1024, 4, 4, true},
                            {1000, 1500, 4, 2, true},
                            {700, 300, 2, 2, true},
                            {1000, 1500, 4, 4, false},
                            {333, 1024, 4, 1, true}};
    const GpuSpec gpu = gpu_preset("h100-sxm5");
    std::int64_t claimed = 0;  // steps replayed rather than asked for
    for (Algorithm algo : {Algorithm::naive, Algorithm::flash1, Algorithm::flash2,
                           parse_algorithm("flash1_released")})
        for (const Shape& sh : shapes) {
            SimulationRequest req = request(algo);
            req.problem.seq_q = sh.seq_q;
            req.problem.seq_k = sh.seq_k;
            req.problem.heads = sh.heads;
            req.problem.kv_heads = sh.kv_heads;
            req.problem.causal = sh.causal;
            req.problem.pass = Pass::fwdbwd;
            if (refuses(algo, req.problem) || !schedule_for(algo).supports(Pass::fwdbwd)) continue;
            const TileConfig tile =
                resolve_tile(gpu, req.problem, algo, tile_for(algo, req.tile, req.problem));
            const PlanContext ctx(req.problem, tile, req.options, gpu);
            for (const auto& plan : schedule_for(algo).kernels(ctx, Pass::fwdbwd)) {
                SCOPED_TRACE(plan->name() + " seq_q " + std::to_string(sh.seq_q) + " seq_k " +
                             std::to_string(sh.seq_k));
                for (std::int64_t u = 0; u < plan->unit_count(); ++u) {
                    const std::int64_t steps = plan->step_count(u);
                    for (std::int64_t s = 0; s < steps; ++s) {
                        const std::int64_t run = plan->step_run(u, s);
                        ASSERT_GE(run, 1) << "unit " << u << " step " << s;
                        ASSERT_LE(s + run, steps) << "unit " << u << " step " << s;
                        Step first, later;
                        plan->step(u, s, first);
                        for (std::int64_t k = 1; k < run; ++k) {
                            later.clear();
                            plan->step(u, s + k, later);
                            ASSERT_TRUE(same_but_rows(first, later, k))
                                << "unit " << u << " step " << s << " + " << k;
                        }
                        claimed += run - 1;
                    }
                }
            }
        }
    EXPECT_GT(claimed, 0);  // the flash2 plans claim runs
}
