#include "flashscope/validate/suite.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "flashscope/core/error.hpp"

using namespace flashscope;
using namespace flashscope::validate;

namespace {

std::vector<TileConfig> two_tiles(Algorithm algo, Pass, DType, std::int64_t) {
    if (algo == Algorithm::naive) return {TileConfig{}};
    return {{64, 64, 4, 2}, {128, 64, 8, 2}};
}

}  // namespace

TEST(Suite, ExpandsTheCrossProductWithBuiltTiles) {
    const auto suite = parse_suite(R"(
name: t
batch: 2
heads: 8
cases:
  - algorithms: [naive, flash2]
    passes: [fwd, bwd]
    head_dims: [64, 128]
    seqs: [1024]
    causal: [false, true]
)");
    EXPECT_EQ(suite.name, "t");
    const auto cases = expand(suite, two_tiles);
    // naive: 2 passes x 2 d x 2 causal x 1 tile; flash2: the same x 2 tiles
    EXPECT_EQ(cases.size(), 8u + 16u);
    EXPECT_EQ(cases.front().problem.batch, 2);
    EXPECT_EQ(cases.front().problem.heads, 8);
}

TEST(Suite, ExplicitTilesAndFlash1HasNoBackward) {
    const auto suite = parse_suite(R"(
cases:
  - algorithms: flash1
    passes: [fwd, bwd]
    head_dims: 64
    seqs: [1024, 2048]
    tiles:
      - {block_m: 64, block_n: 32, warps: 4, stages: 1}
)");
    const auto cases = expand(suite, two_tiles);
    ASSERT_EQ(cases.size(), 2u);
    EXPECT_EQ(cases[0].tile, (TileConfig{64, 32, 4, 1}));
    EXPECT_EQ(cases[1].problem.seq_k, 2048);
}

TEST(Suite, ErrorsNameTheKey) {
    try {
        parse_suite("cases:\n  - algorithms: [flash9]\n    head_dims: 64\n    seqs: 1024\n");
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_EQ(e.field(), "algo");
    }
    try {
        parse_suite(
            "cases:\n  - algorithms: naive\n    head_dims: 64\n    seqs: 1024\n    sequence: 3\n");
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_EQ(e.field(), "cases.sequence");
    }
    EXPECT_THROW(parse_suite("name: x\n"), ConfigError);
    EXPECT_THROW(parse_suite("cases:\n  - algorithms: naive\n    head_dims: 64\n    seqs: 1024\n   "
                             " passes: fwdbwd\n"),
                 ConfigError);
}

TEST(Suite, TilesAsTextLikeTheCommandLine) {
    const auto suite = parse_suite(R"(
cases:
  - algorithms: flash2
    head_dims: 128
    seqs: 4096
    tiles: [128x64x4x2, {block_m: 64, block_n: 64, warps: 4, stages: 2}]
)");
    const auto cases = expand(suite, two_tiles);
    ASSERT_EQ(cases.size(), 2u);
    EXPECT_EQ(cases[0].tile, (TileConfig{128, 64, 4, 2}));
    EXPECT_EQ(cases[1].tile, (TileConfig{64, 64, 4, 2}));
    for (const char* bad : {"tiles: [128x64]", "tiles: [128x64x4x9]", "tiles: [[1, 2]]"}) {
        try {
            parse_suite(std::string("cases:\n  - algorithms: flash2\n    head_dims: 128\n    "
                                    "seqs: 4096\n    ") +
                        bad + "\n");
            ADD_FAILURE() << bad;
        } catch (const ConfigError& e) {
            EXPECT_FALSE(e.field().empty()) << bad;
        }
    }
}

// Every suite shipped in configs/validation/ parses and expands (a suite `flashscope validate`
// refuses on the GPU machine costs a device call to find out).
TEST(Suite, ShippedSuitesParse) {
    for (const char* name : {"quick.yaml", "default.yaml"}) {
        const std::string path = std::string(FLASHSCOPE_SOURCE_DIR) + "/configs/validation/" + name;
        std::ifstream in(path);
        ASSERT_TRUE(in) << path;
        std::stringstream text;
        text << in.rdbuf();
        const auto suite = parse_suite(text.str());
        EXPECT_FALSE(expand(suite, two_tiles).empty()) << name;
    }
}
