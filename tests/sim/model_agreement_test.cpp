// With the L2 disabled, the cycle model must move exactly the analytic model's bytes and FLOPs:
// two independent derivations (step by step vs closed form) of the same schedule.
#include <gtest/gtest.h>

#include "sim_test_support.hpp"

using namespace flashscope;
using namespace flashscope::sim;
using namespace flashscope::sim::testing;

namespace {

struct Case {
    Algorithm algo;
    Pass pass;
    bool causal;
    std::int64_t seq_q, seq_k, kv_heads;
};

}  // namespace

TEST(ModelAgreement, CycleWithoutL2EqualsAnalyticForEveryAlgorithm) {
    std::vector<Case> cases;
    for (Algorithm algo : all_algorithms())
        for (Pass pass : {Pass::fwd, Pass::bwd, Pass::fwdbwd}) {
            if (!descriptor(algo).simulates(pass)) continue;
            for (bool causal : {false, true})
                for (auto [sq, sk] :
                     {std::pair{256, 256}, std::pair{97, 1025}, std::pair{1000, 17}})
                    for (std::int64_t kvh : {4, 2})
                        cases.push_back({algo, pass, causal, sq, sk, kvh});
        }
    for (const Case& c : cases) {
        SimulationRequest req = without_l2(request(c.algo));
        req.problem.pass = c.pass;
        req.problem.causal = c.causal;
        req.problem.seq_q = c.seq_q;
        req.problem.seq_k = c.seq_k;
        req.problem.kv_heads = c.kv_heads;
        if (refuses(c.algo, req.problem)) continue;
        req.tile = tile_for(c.algo, req.tile, req.problem);
        const Result analytic = simulate(req);
        req.model = Model::cycle;
        const Result cycle = simulate(req);
        const std::string what = std::string(to_string(c.algo)) + " " +
                                 std::string(to_string(c.pass)) + (c.causal ? " causal " : " ") +
                                 std::to_string(c.seq_q) + "x" + std::to_string(c.seq_k) + " kv" +
                                 std::to_string(c.kv_heads);
        ASSERT_EQ(analytic.kernels.size(), cycle.kernels.size()) << what;
        for (std::size_t k = 0; k < cycle.kernels.size(); ++k) {
            const Metrics& a = analytic.kernels[k].metrics;
            const Metrics& y = cycle.kernels[k].metrics;
            const std::string kernel = what + " " + cycle.kernels[k].name;
            EXPECT_EQ(a.hbm_read_bytes, y.hbm_read_bytes) << kernel;
            EXPECT_EQ(a.hbm_write_bytes, y.hbm_write_bytes) << kernel;
            EXPECT_EQ(a.l2_read_bytes, y.l2_read_bytes) << kernel;
            EXPECT_EQ(a.l2_write_bytes, y.l2_write_bytes) << kernel;
            EXPECT_EQ(a.sram_read_bytes, y.sram_read_bytes) << kernel;
            EXPECT_EQ(a.sram_write_bytes, y.sram_write_bytes) << kernel;
            EXPECT_DOUBLE_EQ(a.flops_matmul, y.flops_matmul) << kernel;
            EXPECT_NEAR(a.flops_softmax, y.flops_softmax, 1e-9 * a.flops_softmax) << kernel;
        }
        EXPECT_EQ(cycle.l2_dirty_at_end_bytes, 0) << what;
    }
}

TEST(ModelAgreement, L2OnlyEverRemovesHbmTraffic) {
    for (Algorithm algo : all_algorithms()) {
        if (!descriptor(algo).simulates(Pass::fwd)) continue;  // no schedule yet (flash3)
        SimulationRequest req = request(algo, Model::cycle);
        req.problem.pass = descriptor(algo).simulates(Pass::fwdbwd) ? Pass::fwdbwd : Pass::fwd;
        req.tile = tile_for(algo, req.tile, req.problem);
        const Result cached = simulate(req);
        const Result uncached = simulate(without_l2(req));
        EXPECT_LE(cached.totals.hbm_read_bytes, uncached.totals.hbm_read_bytes) << to_string(algo);
        EXPECT_LE(cached.totals.hbm_write_bytes, uncached.totals.hbm_write_bytes)
            << to_string(algo);
        EXPECT_EQ(cached.totals.l2_read_bytes, uncached.totals.l2_read_bytes) << to_string(algo);
    }
}
