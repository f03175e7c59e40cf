#include "flashscope/core/problem.hpp"

#include <gtest/gtest.h>

#include "flashscope/core/count.hpp"
#include "flashscope/core/error.hpp"
#include "flashscope/core/tile.hpp"

using namespace flashscope;

namespace {

// Brute-force count of visible (query, key) pairs, bottom-right aligned.
std::int64_t count_pairs(std::int64_t sq, std::int64_t sk, bool causal) {
    std::int64_t n = 0;
    for (std::int64_t r = 0; r < sq; ++r)
        for (std::int64_t c = 0; c < sk; ++c) n += (!causal || c <= r + sk - sq) ? 1 : 0;
    return n;
}

ConfigError error_of(const AttentionProblem& p) {
    try {
        p.validate();
    } catch (const ConfigError& e) {
        return e;
    }
    ADD_FAILURE() << "expected a ConfigError";
    return ConfigError("", "", "");
}

}  // namespace

TEST(VisiblePairs, MatchBruteForceForAllShapes) {
    for (std::int64_t sq : {1, 5, 17, 64}) {
        for (std::int64_t sk : {1, 3, 17, 70}) {
            EXPECT_EQ(visible_pairs(sq, sk, true), count_pairs(sq, sk, true)) << sq << "x" << sk;
            EXPECT_EQ(visible_pairs(sq, sk, false), sq * sk);
        }
    }
}

TEST(VisiblePairs, DoNotOverflowAtOneMillionTokens) {
    const std::int64_t n = 1 << 20;
    EXPECT_EQ(visible_pairs(n, n, true), n * (n + 1) / 2);
}

TEST(AttentionProblem, DefaultIsValid) {
    EXPECT_NO_THROW(AttentionProblem{}.validate());
}

TEST(AttentionProblem, KvHeadsMustDivideHeads) {
    AttentionProblem p;
    p.heads = 16;
    p.kv_heads = 5;
    const ConfigError e = error_of(p);
    EXPECT_EQ(e.field(), "kv_heads");
    EXPECT_EQ(e.value(), "5");
    EXPECT_NE(std::string(e.what()).find("divide heads (16)"), std::string::npos);
}

TEST(AttentionProblem, RejectsNonPositiveSizes) {
    AttentionProblem p;
    p.seq_q = 0;
    EXPECT_EQ(error_of(p).field(), "seq_q");
    p = {};
    p.batch = -3;
    EXPECT_EQ(error_of(p).field(), "batch");
}

TEST(AttentionProblem, HeadDimOverLimitNamesTheLimit) {
    AttentionProblem p;
    p.head_dim = 512;
    const ConfigError e = error_of(p);
    EXPECT_EQ(e.field(), "head_dim");
    EXPECT_NE(e.limit().find("256"), std::string::npos);
}

TEST(AttentionProblem, ScaleDefaultsToInverseSqrtHeadDim) {
    AttentionProblem p;
    p.head_dim = 64;
    EXPECT_DOUBLE_EQ(p.effective_scale(), 0.125);
    p.softmax_scale = 0.5;
    EXPECT_DOUBLE_EQ(p.effective_scale(), 0.5);
}

TEST(TileConfig, RejectsBlocksThatAreNotFragmentMultiples) {
    TileConfig t{100, 64, 4, 2};
    try {
        t.validate();
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_EQ(e.field(), "block_m");
    }
    EXPECT_THROW((TileConfig{64, 64, 3, 2}.validate()), ConfigError);  // warps not a power of 2
    EXPECT_NO_THROW((TileConfig{64, 128, 4, 2}.validate()));
    EXPECT_NO_THROW((TileConfig{128, 128, 12, 2}.validate()));  // flash3: three warpgroups
    EXPECT_THROW((TileConfig{128, 128, 6, 2}.validate()), ConfigError);
}

TEST(Parsing, NamesRoundTripAndBadNamesNameTheField) {
    EXPECT_EQ(parse_dtype("bf16"), DType::bf16);
    EXPECT_EQ(parse_pass("fwdbwd"), Pass::fwdbwd);
    try {
        parse_dtype("fp8");
        FAIL();
    } catch (const ConfigError& e) {
        EXPECT_EQ(e.field(), "dtype");
        EXPECT_EQ(e.value(), "fp8");
    }
}

TEST(AttentionProblem, ProblemTooLargeToCountNamesTheProductThatOverflows) {
    // The example: 128 x 128 heads of a 16M x 16M bf16 matrix is exactly 2^63 bytes.
    AttentionProblem p;
    p.batch = p.heads = p.kv_heads = 128;
    p.seq_q = p.seq_k = std::int64_t{1} << 24;
    try {
        p.validate();
        FAIL() << "expected a CountOverflow";
    } catch (const CountOverflow& e) {
        EXPECT_EQ(e.field(), "batch*heads*seq_q*seq_k*elem");
        EXPECT_EQ(e.value(), "128*128*16777216*16777216*2 = 9.22e+18");
        EXPECT_NE(e.limit().find("2^63-1"), std::string::npos);
    }
    p.heads = p.kv_heads = 64;  // 2^62 bytes: countable
    EXPECT_NO_THROW(p.validate());
}

TEST(AttentionProblem, BatchTimesHeadsIsCheckedWithoutOverflowing) {
    AttentionProblem p;
    p.batch = p.heads = p.kv_heads = std::int64_t{1} << 32;  // the product wraps to 0 in int64
    EXPECT_EQ(error_of(p).field(), "batch*heads");
    EXPECT_EQ(error_of(p).value(), "4294967296*4294967296");
}
