// An algorithm is one descriptor and one schedule: kernel names come from the descriptor, the
// schedule owns the tile policy and the passes, and a fourth algorithm registered at run time
// simulates through the same entry point as the built-ins.
#include <gtest/gtest.h>

#include <algorithm>

#include "fake_algorithm.hpp"
#include "flashscope/core/error.hpp"
#include "flashscope/sim/tile_rules.hpp"
#include "sim_test_support.hpp"

using namespace flashscope;
using namespace flashscope::sim;
using namespace flashscope::sim::testing;

namespace {

bool listed(const std::vector<std::string>& names, const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
}

ConfigError error_of(const SimulationRequest& req) {
    try {
        simulate(req);
    } catch (const ConfigError& e) {
        return e;
    }
    ADD_FAILURE() << "expected a ConfigError";
    return ConfigError("", "", "");
}

}  // namespace

TEST(AlgorithmSeam, EveryKernelTheSimulatorNamesIsListedInItsDescriptor) {
    test::fake_algorithm();
    for (Algorithm algo : all_algorithms())
        for (Pass pass : {Pass::fwd, Pass::bwd})
            for (bool variant : {false, true}) {
                if (!descriptor(algo).simulates(pass)) continue;
                // variant: GQA, causal, eager with dropout: every conditional kernel appears.
                SimulationRequest req = request(algo);
                req.problem.pass = pass;
                req.tile = {};
                if (variant) {
                    req.problem.kv_heads = 2;
                    req.problem.causal = true;
                    req.problem.dropout = 0.1;
                    req.options.naive_eager = true;
                }
                if (refuses(algo, req.problem)) continue;
                const Result r = simulate(req);
                const auto names = kernel_names(algo, pass);
                ASSERT_FALSE(r.kernels.empty());
                for (const auto& k : r.kernels)
                    EXPECT_TRUE(listed(names, k.name)) << to_string(algo) << " " << k.name;
            }
}

TEST(AlgorithmSeam, FakeAlgorithmSimulatesWithItsClosedFormBytes) {
    const Algorithm fake = test::fake_algorithm();
    EXPECT_EQ(parse_algorithm("fake"), fake);
    EXPECT_GE(fake.index(), 3u);
    for (Model model : {Model::analytic, Model::cycle}) {
        SimulationRequest req = without_l2(request(fake, model));
        req.problem.seq_q = 1000;  // a partial last query block
        req.problem.pass = Pass::fwdbwd;
        const Result r = simulate(req);
        ASSERT_EQ(r.kernels.size(), 2u);
        EXPECT_EQ(r.kernels[0].name, "fake_fwd");
        EXPECT_EQ(r.kernels[1].name, "fake_bwd");
        EXPECT_DOUBLE_EQ(double(hbm_bytes(r)), 2 * test::fake_pass_hbm_bytes(req.problem));
        EXPECT_EQ(r.algorithm, fake);
    }
}

TEST(AlgorithmSeam, FakeAlgorithmTakesItsOwnDefaultTile) {
    const Algorithm fake = test::fake_algorithm();
    AttentionProblem p;
    const TileConfig t = resolve_tile(gpu_preset("h100-sxm5"), p, fake, {});
    EXPECT_EQ(t, (TileConfig{64, 64, 4, 1}));
    // The flash warp rule is flash's own: 4 warps on 16 query rows are fine for the fake.
    SimulationRequest req = request(fake);
    req.tile = {16, 16, 4, 1};
    EXPECT_NO_THROW(simulate(req));
    req.algorithm = Algorithm::flash2;
    EXPECT_EQ(error_of(req).field(), "warps");
}

TEST(AlgorithmSeam, PassOutsideTheDescriptorIsAnError) {
    static const Algorithm fwd_only = [] {  // once per process, however often the test runs
        const Algorithm a = register_algorithm({"fake_fwd_only",
                                                "test-only: the fake without a backward pass",
                                                {Pass::fwd},
                                                {},
                                                {{"fwd", Pass::fwd}, {"bwd", Pass::bwd}}});
        register_schedule(test::make_fake_schedule(a));
        return a;
    }();
    SimulationRequest req = request(fwd_only);
    EXPECT_EQ(simulate(req).kernels.at(0).name, "fake_fwd_only_fwd");
    req.problem.pass = Pass::fwdbwd;
    const ConfigError e = error_of(req);
    EXPECT_EQ(e.field(), "pass");
    EXPECT_EQ(e.value(), "fwdbwd");
    EXPECT_EQ(e.limit(), "fake_fwd_only has no simulated fwdbwd pass");
    EXPECT_THROW(register_schedule(test::make_fake_schedule(fwd_only)), ConfigError);  // taken
}
