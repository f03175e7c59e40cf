// Timing behaviour of the cycle model: what must hold whatever the constants are.
#include <gtest/gtest.h>

#include "sim_test_support.hpp"

using namespace flashscope;
using namespace flashscope::sim;
using namespace flashscope::sim::testing;

TEST(CycleEngine, NaiveIsMemoryBoundAndFlash2IsNot) {
    SimulationRequest req = request(Algorithm::naive, Model::cycle);
    req.problem.batch = 4;
    req.problem.heads = req.problem.kv_heads = 16;
    req.problem.seq_q = req.problem.seq_k = 4096;
    req.problem.head_dim = 128;
    req.tile = {};
    const Result naive = simulate(req);
    req.algorithm = Algorithm::flash2;
    req.tile = {128, 64, 4, 2};
    const Result flash = simulate(req);
    EXPECT_LT(flash.totals.time_s, naive.totals.time_s);
    for (const auto& k : naive.kernels)
        if (k.name == "naive_softmax") {
            EXPECT_EQ(k.bottleneck, Resource::hbm);
        }
    EXPECT_NE(flash.bottleneck, Resource::hbm);
}

TEST(CycleEngine, TimeScalesWithWorkAndHigherBandwidthHelpsNaive) {
    SimulationRequest req = request(Algorithm::naive, Model::cycle);
    req.problem.seq_q = req.problem.seq_k = 4096;
    const double t1 = simulate(req).totals.time_s;
    req.problem.batch *= 2;
    const double t2 = simulate(req).totals.time_s;
    EXPECT_NEAR(t2 / t1, 2.0, 0.2);
    req.gpu.hbm_bytes_per_s *= 2;
    EXPECT_LT(simulate(req).totals.time_s, t2);
}

TEST(CycleEngine, OccupancyWavesAndCyclesAreConsistent) {
    const SimulationRequest req = request(Algorithm::flash2, Model::cycle);
    const Result r = simulate(req);
    const KernelResult& k = r.kernels.front();
    EXPECT_EQ(k.ctas, 8 * (1024 / 64));
    EXPECT_DOUBLE_EQ(k.waves, double(k.ctas) / double(132 * k.ctas_per_sm));
    EXPECT_NEAR(k.metrics.cycles, k.metrics.time_s * req.gpu.sm_clock_hz, 1e-6 * k.metrics.cycles);
    EXPECT_GT(k.occupancy, 0.0);
    EXPECT_LE(k.occupancy, 1.0);
}

TEST(CycleEngine, SingleStagePaysMemoryLatencyEveryStep) {
    SimulationRequest req = request(Algorithm::flash2, Model::cycle);
    const double pipelined = simulate(req).totals.time_s;
    req.tile.stages = 1;
    EXPECT_GT(simulate(req).totals.time_s, pipelined);
}
