#include "flashscope/sim/tile_rules.hpp"

#include <gtest/gtest.h>

#include "flashscope/core/error.hpp"
#include "flashscope/sim/simulate.hpp"
#include "sim_test_support.hpp"

using namespace flashscope;
using namespace flashscope::sim;

TEST(TileRules, FlashAttentionRuleOnH100) {
    AttentionProblem p;  // d = 128, bf16
    // M = 227 KiB / 2 B = 116224 elements; Bc = ceil(M / 4d) = 227 -> 224; Br = min(Bc, d) = 128
    const TileConfig t = flash_rule_tile(gpu_preset("h100-sxm5"), p);
    EXPECT_EQ(t.block_n, 224);
    EXPECT_EQ(t.block_m, 128);
    p.head_dim = 64;
    p.dtype = DType::fp32;
    // M = 58112 elements; Bc = 227 -> 224 (clamped to 256 at most); Br = 64
    const TileConfig t64 = flash_rule_tile(gpu_preset("h100-sxm5"), p);
    EXPECT_EQ(t64.block_n, 224);
    EXPECT_EQ(t64.block_m, 64);
}

TEST(TileRules, ResolveKeepsGivenFieldsAndPicksStagesThatFit) {
    const GpuSpec a100 = gpu_preset("a100-sxm4-40gb");
    AttentionProblem p;
    const TileConfig t = resolve_tile(a100, p, Algorithm::flash2, TileConfig{128, 0, 0, 0});
    EXPECT_EQ(t.block_m, 128);
    EXPECT_EQ(t.warps, 8);
    // Rule: Bc = ceil(83456 / 512) = 163 -> 160. Q 32 KiB + 2 stages x 2 x 40 KiB > 163 KiB,
    // so one stage.
    EXPECT_EQ(t.block_n, 160);
    EXPECT_EQ(t.stages, 1);
    const TileConfig small = resolve_tile(a100, p, Algorithm::flash2, TileConfig{64, 64, 0, 0});
    EXPECT_EQ(small.stages, 2);
    EXPECT_EQ(small.warps, 4);
}

TEST(TileRules, DefaultWarpsLeaveEveryWarpSixteenQueryRows) {
    const GpuSpec h100 = gpu_preset("h100-sxm5");
    const AttentionProblem p;
    for (std::int64_t bm = 16; bm <= 256; bm += 16) {
        const TileConfig t = resolve_tile(h100, p, Algorithm::flash2, TileConfig{bm, 64, 0, 0});
        EXPECT_GE(bm, 16 * t.warps) << bm;
        EXPECT_EQ(t.warps & (t.warps - 1), 0) << bm;
    }
    EXPECT_EQ(resolve_tile(h100, p, Algorithm::flash2, TileConfig{48, 64, 0, 0}).warps, 2);
    EXPECT_EQ(resolve_tile(h100, p, Algorithm::flash2, TileConfig{96, 64, 0, 0}).warps, 4);
}

TEST(TileRules, DefaultTileFitsEveryPassAndDtypeOnEveryPreset) {
    for (const auto& name : gpu_preset_names()) {
        const GpuSpec gpu = gpu_preset(name);
        for (Algorithm algo : all_algorithms())
            for (Pass pass : {Pass::fwd, Pass::bwd, Pass::fwdbwd})
                for (std::int64_t d : {64, 128, 256})
                    for (DType dtype : {DType::bf16, DType::fp32}) {
                        if (!descriptor(algo).simulates(pass)) continue;
                        SimulationRequest req;
                        req.gpu = gpu;
                        req.algorithm = algo;
                        req.model = Model::analytic;
                        req.problem.head_dim = d;
                        req.problem.dtype = dtype;
                        req.problem.pass = pass;
                        req.problem.seq_q = req.problem.seq_k = 1024;
                        if (sim::testing::refuses(algo, req.problem)) continue;
                        EXPECT_NO_THROW(simulate(req))
                            << name << " " << to_string(algo) << " " << to_string(pass) << " d" << d
                            << " " << to_string(dtype);
                    }
    }
}

TEST(TileRules, BackwardDefaultShrinksTheForwardRuleUntilItFits) {
    AttentionProblem p;
    p.pass = Pass::bwd;
    const GpuSpec h100 = gpu_preset("h100-sxm5");
    const TileConfig t = resolve_tile(h100, p, Algorithm::flash2, {});
    EXPECT_EQ(t.block_m, 128);
    EXPECT_LT(t.block_n, flash_rule_tile(h100, p).block_n);  // the forward's 224 does not fit
    // It is the widest that fits: 16 more keys per block give each warp a dK and dV share it
    // cannot keep in registers (the accumulators never spill by design), or more shared memory
    // than a block may have (K, V and dS grow with block_n).
    SimulationRequest req;
    req.gpu = h100;
    req.algorithm = Algorithm::flash2;
    req.model = Model::analytic;
    req.problem = p;
    req.problem.seq_q = req.problem.seq_k = 1024;
    req.tile = t;
    EXPECT_NO_THROW(simulate(req));
    req.tile.block_n += 16;
    try {
        simulate(req);
        ADD_FAILURE() << "block_n " << req.tile.block_n << " fitted";
    } catch (const ConfigError& e) {
        const std::string what = e.what();
        EXPECT_TRUE(what.find("shared memory") != std::string::npos ||
                    what.find("registers per thread") != std::string::npos)
            << what;
    }
}
