// The tile advisor ranks every feasible tile by predicted time and never lists a tile a kernel
// could not be built as.
#include "flashscope/sim/tile_advisor.hpp"

#include <gtest/gtest.h>

#include "flashscope/sim/simulation_config.hpp"
#include "flashscope/sim/tile_rules.hpp"
#include "sim_test_support.hpp"

using namespace flashscope;
using namespace flashscope::sim;
using namespace flashscope::sim::testing;

namespace {

SimulationRequest advisor_request(Pass pass = Pass::fwd) {
    SimulationRequest req = request(Algorithm::flash2, Model::cycle);
    req.problem.head_dim = 128;
    req.problem.pass = pass;
    req.tile = {};
    return req;
}

}  // namespace

TEST(TileAdvisor, RanksFeasibleTilesByPredictedTime) {
    const TileRanking ranking = rank_tiles(advisor_request(), 2);
    ASSERT_GE(ranking.tiles.size(), 2u);
    for (std::size_t i = 1; i < ranking.tiles.size(); ++i)
        EXPECT_LE(ranking.tiles[i - 1].result.totals.time_s, ranking.tiles[i].result.totals.time_s);
    EXPECT_EQ(ranking.candidates,
              ranking.refused + ranking.pruned + static_cast<std::int64_t>(ranking.tiles.size()));
    EXPECT_GT(ranking.refused, 0);
    // Each row is the simulation of its own tile.
    SimulationRequest again = advisor_request();
    again.tile = ranking.tiles[1].result.tile;
    EXPECT_DOUBLE_EQ(simulate(again).totals.time_s, ranking.tiles[1].result.totals.time_s);
}

TEST(TileAdvisor, NeverListsATileAKernelCannotBeBuiltAs) {
    for (Pass pass : {Pass::fwd, Pass::bwd}) {
        const SimulationRequest req = advisor_request(pass);
        const TileRanking ranking = rank_tiles(req, 2);
        for (const TileAdvice& a : ranking.tiles) {
            const TileConfig& t = a.result.tile;
            EXPECT_EQ(tile_infeasibility(req.gpu, req.problem, schedule_for(req.algorithm), t), "");
            if (pass == Pass::fwd) {  // the backward's warps split keys: 112 query rows are fine
                EXPECT_EQ(t.block_m % (16 * t.warps), 0) << to_string(t);
                EXPECT_FALSE(t.block_m == 112 && t.warps == 4) << "28 rows per warp";
            } else {
                EXPECT_EQ((t.block_n / 16) * (req.problem.head_dim / 16) % t.warps, 0)
                    << to_string(t);
            }
        }
    }
}

TEST(TileAdvisor, GivenFieldsStayFixed) {
    SimulationRequest req = advisor_request();
    req.tile.block_m = 64;
    req.tile.stages = 2;
    const TileRanking ranking = rank_tiles(req, 2);
    ASSERT_FALSE(ranking.tiles.empty());
    for (const TileAdvice& a : ranking.tiles) {
        EXPECT_EQ(a.result.tile.block_m, 64);
        EXPECT_EQ(a.result.tile.stages, 2);
    }
}

TEST(TileAdvisor, NoFeasibleCandidateIsAConfigError) {
    SimulationRequest req = advisor_request();
    req.tile = {16, 16, 4, 1};  // 4 warps on 16 query rows
    EXPECT_THROW(rank_tiles(req, 1), ConfigError);
}

TEST(TileAdvisor, TileBestIsTheFirstRow) {
    SimulationConfig config;
    config.gpu = "h100-sxm5";
    config.problem = advisor_request().problem;
    config.tile_best = true;
    const GpuSpec gpu = resolve_config_gpu(config.gpu);
    const SimulationRequest req = make_request(config, gpu);
    EXPECT_TRUE(req.tile.is_complete());
    EXPECT_EQ(req.tile, rank_tiles(advisor_request()).tiles.front().result.tile);
    EXPECT_EQ(best_tile(advisor_request(), 1), req.tile);
}

TEST(TileAdvisor, ExplainsTheBottleneckAndTheWinner) {
    const TileRanking ranking = rank_tiles(advisor_request(), 2);
    for (const TileAdvice& a : ranking.tiles) {
        const std::string bound = std::string(to_string(a.result.bottleneck));
        EXPECT_NE(a.why.find("CTA"), std::string::npos) << a.why;
        EXPECT_FALSE(a.why.empty());
    }
    const Result& best = ranking.tiles[0].result;
    EXPECT_EQ(ranking.verdict.rfind(
                  to_string(best.tile) + " beats " + to_string(ranking.tiles[1].result.tile), 0),
              0u)
        << ranking.verdict;
}

TEST(TileAdvisor, CompareNamesLessHbmTrafficWhenThatIsTheDifference) {
    SimulationRequest req = request(Algorithm::flash1, Model::analytic);  // no L2 to hide it
    req.problem.seq_q = req.problem.seq_k = 4096;
    req.tile = {64, 256, 4, 1};
    const Result big = simulate(req);
    req.tile = {64, 32, 4, 1};  // flash1 re-reads Q and O once per key block: 8x as often
    const Result small = simulate(req);
    ASSERT_LT(hbm_bytes(big), hbm_bytes(small));
    EXPECT_NE(compare_tiles(big, small, req.gpu).find("less HBM traffic"), std::string::npos)
        << compare_tiles(big, small, req.gpu);
}

TEST(KernelTiles, BuildableFollowsTheKernelTileTable) {
    SimulationRequest req = request(Algorithm::flash2, Model::analytic);
    req.problem.head_dim = 128;
    req.tile = {128, 64, 4, 2};  // the first flash2_fwd tile of head dim 128 in the table
    EXPECT_EQ(buildable(simulate(req)), Buildable::yes);
    req.tile = {128, 80, 4, 2};
    EXPECT_EQ(buildable(simulate(req)), Buildable::no);
    req.tile = {128, 64, 4, 2};
    req.problem.dtype = DType::fp32;  // the kernels are built for bf16 and fp16
    EXPECT_EQ(buildable(simulate(req)), Buildable::no);
    req.algorithm = Algorithm::naive;  // cuBLAS and row kernels: no tile of ours
    EXPECT_EQ(buildable(simulate(req)), Buildable::untiled);
    EXPECT_TRUE(kernel_has_tiles("flash2_bwd"));
    EXPECT_FALSE(kernel_has_tiles("naive_qk"));
    EXPECT_TRUE(kernel_tile_built("flash3_bwd", 128, DType::bf16, {64, 128, 12, 2}));
    EXPECT_TRUE(kernel_tile_built("flash3_bwd", 256, DType::bf16, {64, 64, 12, 2}));
    EXPECT_FALSE(kernel_tile_built("flash3_bwd", 256, DType::bf16, {64, 128, 12, 2}));
}
