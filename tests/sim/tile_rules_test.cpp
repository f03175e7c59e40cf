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
    AttentionProblem p;  // d = 128, bf16
    const TileConfig t = resolve_tile(a100, p, Algorithm::flash2, TileConfig{128, 160, 0, 0});
    EXPECT_EQ(t.block_m, 128);
    EXPECT_EQ(t.block_n, 160);
    EXPECT_EQ(t.warps, 8);
    // Q 32 KiB + 2 stages x (K + V) 2 x 40 KiB = 192 KiB > 163 KiB: one stage.
    EXPECT_EQ(t.stages, 1);
    const TileConfig small = resolve_tile(a100, p, Algorithm::flash2, TileConfig{64, 64, 0, 0});
    EXPECT_EQ(small.stages, 2);
    EXPECT_EQ(small.warps, 4);
}

TEST(TileRules, DefaultWarpsGiveEveryWarpWholeSixteenRowFragments) {
    const GpuSpec h100 = gpu_preset("h100-sxm5");
    const AttentionProblem p;
    for (std::int64_t bm = 16; bm <= 256; bm += 16) {
        const TileConfig t = resolve_tile(h100, p, Algorithm::flash2, TileConfig{bm, 64, 0, 0});
        EXPECT_EQ(bm % (16 * t.warps), 0) << bm;
        EXPECT_EQ(t.warps & (t.warps - 1), 0) << bm;
    }
    // 48 rows split into whole 16-row fragments only by 1 or 3 warps; 96 by 2 (48 rows each).
    EXPECT_EQ(resolve_tile(h100, p, Algorithm::flash2, TileConfig{48, 64, 0, 0}).warps, 1);
    EXPECT_EQ(resolve_tile(h100, p, Algorithm::flash2, TileConfig{96, 64, 0, 0}).warps, 2);
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
                        if (sim::testing::refuses(algo, req.problem, gpu)) continue;
                        EXPECT_NO_THROW(simulate(req))
                            << name << " " << to_string(algo) << " " << to_string(pass) << " d" << d
                            << " " << to_string(dtype);
                    }
    }
}

// The defaults are FlashAttention-2's launch rules (flash_fwd/bwd_launch_template.h) and
// FlashAttention's key blocks (fmha_fwd_hdim*.cu); see sim/src/schedules/published_tiles.cpp.
TEST(TileRules, Flash2DefaultsFollowThePublishedLaunchRules) {
    const GpuSpec h100 = gpu_preset("h100-sxm5");
    const GpuSpec a100 = gpu_preset("a100-sxm4-80gb");
    auto tile = [](const GpuSpec& gpu, std::int64_t d, Pass pass, Algorithm algo) {
        AttentionProblem p;
        p.head_dim = d;
        p.pass = pass;
        return resolve_tile(gpu, p, algo, {});
    };
    // Forward d = 128: 128 x 64, 4 warps on A100 and H100 (not the paper rule's 128 x 224).
    EXPECT_EQ(tile(h100, 128, Pass::fwd, Algorithm::flash2), (TileConfig{128, 64, 4, 2}));
    EXPECT_EQ(tile(a100, 128, Pass::fwd, Algorithm::flash2), (TileConfig{128, 64, 4, 2}));
    EXPECT_EQ(tile(h100, 64, Pass::fwd, Algorithm::flash2), (TileConfig{128, 128, 4, 2}));
    // d = 256: 64 x 64 on H100 (2 CTAs per SM), 128 x 64 with 8 warps on A100.
    EXPECT_EQ(tile(h100, 256, Pass::fwd, Algorithm::flash2).block_m, 64);
    EXPECT_EQ(tile(a100, 256, Pass::fwd, Algorithm::flash2).block_m, 128);
    EXPECT_EQ(tile(a100, 256, Pass::fwd, Algorithm::flash2).warps, 8);
    // Backward d = 128: 64 x 128, 8 warps where a block may take 144 KiB.
    EXPECT_EQ(tile(h100, 128, Pass::bwd, Algorithm::flash2), (TileConfig{64, 128, 8, 2}));
    EXPECT_EQ(tile(h100, 256, Pass::bwd, Algorithm::flash2).block_n, 64);
}

// d = 64: FlashAttention v1's 256 keys. d = 128: as many keys as shared memory holds beside two
// 128-row Q blocks (v1's 128 moved more HBM than naive past the L2 with its fp32 running output).
TEST(TileRules, Flash1DefaultsTakeTheLargestKeyBlocks) {
    const GpuSpec h100 = gpu_preset("h100-sxm5"), a100 = gpu_preset("a100-sxm4-40gb");
    AttentionProblem p;
    p.head_dim = 64;
    EXPECT_EQ(resolve_tile(h100, p, Algorithm::flash1, {}).block_n, 256);
    p.head_dim = 128;
    EXPECT_EQ(resolve_tile(h100, p, Algorithm::flash1, {}), (TileConfig{128, 256, 8, 2}));
    // 163 KiB a block: (166912 - 2 x 128 x 256) / 512 = 198 -> 192 keys
    EXPECT_EQ(resolve_tile(a100, p, Algorithm::flash1, {}).block_n, 192);
    p.pass = Pass::bwd;  // not shrunk to 32 as the old rule did: dQ is re-read per key block
    EXPECT_GE(resolve_tile(h100, p, Algorithm::flash1, {}).block_n, 128);
}

TEST(TileRules, DefaultTilesKeepTheFragmentRules) {
    for (const auto& name : gpu_preset_names())
        for (Algorithm algo : {Algorithm::flash1, Algorithm::flash2})
            for (Pass pass : {Pass::fwd, Pass::bwd, Pass::fwdbwd})
                for (std::int64_t d : {32, 64, 96, 128, 160, 192, 256}) {
                    AttentionProblem p;
                    p.head_dim = d;
                    p.pass = pass;
                    const GpuSpec gpu = gpu_preset(name);
                    const TileConfig t = resolve_tile(gpu, p, algo, {});
                    EXPECT_EQ(tile_infeasibility(gpu, p, schedule_for(algo), t), "")
                        << name << " " << to_string(algo) << " " << to_string(pass) << " d" << d;
                }
}
