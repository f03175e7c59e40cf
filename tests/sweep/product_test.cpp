#include "flashscope/sweep/product.hpp"

#include <gtest/gtest.h>

#include <set>

namespace flashscope::sweep {
namespace {

std::vector<SweepPoint> points_of(const std::string& yaml) {
    return expand(parse_sweep_spec(yaml, "p.yaml"));
}

TEST(SweepProduct, LastKeyVariesFastestWhateverTheFileOrder) {
    const auto points = points_of(
        "block_m: [64, 128]\nseq: [1024, 2048]\nalgo: [naive, flash2]\nmodel: analytic\n");
    ASSERT_EQ(points.size(), 8u);
    const std::vector<std::tuple<Algorithm, std::int64_t, std::int64_t>> expected = {
        {Algorithm::naive, 1024, 64},  {Algorithm::naive, 1024, 128},
        {Algorithm::naive, 2048, 64},  {Algorithm::naive, 2048, 128},
        {Algorithm::flash2, 1024, 64}, {Algorithm::flash2, 1024, 128},
        {Algorithm::flash2, 2048, 64}, {Algorithm::flash2, 2048, 128}};
    for (std::size_t i = 0; i < points.size(); ++i) {
        EXPECT_EQ(points[i].index, static_cast<std::int64_t>(i));
        EXPECT_EQ(points[i].config.algorithm, std::get<0>(expected[i])) << i;
        EXPECT_EQ(points[i].config.problem.seq_q, std::get<1>(expected[i])) << i;
        EXPECT_EQ(points[i].config.problem.seq_k, std::get<1>(expected[i])) << i;
        EXPECT_EQ(points[i].config.tile.block_m, std::get<2>(expected[i])) << i;
    }
}

TEST(SweepProduct, CanonicalConfigAndIdAreStable) {
    const auto points = points_of("algo: flash2\n");
    ASSERT_EQ(points.size(), 1u);
    EXPECT_EQ(
        canonical_config(points[0]),
        "gpu=h100-sxm5 model=cycle algo=flash2 pass=fwd dtype=bf16 causal=false batch=4 heads=16 "
        "kv_heads=16 seq_q=4096 seq_k=4096 head_dim=128 block_m=0 block_n=0 warps=0 stages=0");
    // FNV-1a 64 + fmix64 of the text above (checked with an independent script); a change here
    // breaks --resume and merge of existing files.
    EXPECT_EQ(points[0].id, "e83b88557f872ce7");
}

TEST(SweepProduct, KeysAddedLaterEnterTheIdOnlyWhenSet) {
    const auto points = points_of("algo: naive\nnaive_eager: true\ndropout: [0, 0.1]\n");
    ASSERT_EQ(points.size(), 2u);
    const std::string base =
        "gpu=h100-sxm5 model=cycle algo=naive pass=fwd dtype=bf16 causal=false batch=4 heads=16 "
        "kv_heads=16 seq_q=4096 seq_k=4096 head_dim=128 block_m=0 block_n=0 warps=0 stages=0";
    EXPECT_EQ(canonical_config(points[0]), base + " naive_eager=true");
    EXPECT_EQ(canonical_config(points[1]), base + " dropout=0.1 naive_eager=true");
    EXPECT_NE(points[0].id, points[1].id);
    EXPECT_EQ(points[1].config.problem.dropout, 0.1);
    EXPECT_TRUE(points[1].config.naive_eager);
}

TEST(SweepProduct, IdsAreUniqueAndDoNotDependOnOtherValues) {
    const auto small = points_of("seq: [1024, 2048]\nblock_m: [64, 128]\n");
    const auto large =
        points_of("seq: [512, 1024, 2048]\nblock_m: [64, 128]\ngpu: [h100-sxm5, h200-sxm]\n");
    std::set<std::string> large_ids;
    for (const SweepPoint& p : large) large_ids.insert(p.id);
    EXPECT_EQ(large_ids.size(), large.size());
    for (const SweepPoint& p : small) EXPECT_TRUE(large_ids.count(p.id)) << canonical_config(p);
}

TEST(SweepProduct, KvHeadsFollowHeadsUnlessListed) {
    const auto follow = points_of("heads: [8, 32]\nalgo: flash2\n");
    EXPECT_EQ(follow[0].config.problem.kv_heads, 8);
    EXPECT_EQ(follow[1].config.problem.kv_heads, 32);
    const auto listed = points_of("heads: 32\nkv_heads: [1, 8]\nalgo: flash2\n");
    ASSERT_EQ(listed.size(), 2u);
    EXPECT_EQ(listed[1].config.problem.kv_heads, 8);
}

TEST(SweepProduct, SeqQAndSeqKAreSeparateAxes) {
    const auto points = points_of("seq_q: [128, 256]\nseq_k: [1024, 2048, 4096]\nalgo: flash2\n");
    ASSERT_EQ(points.size(), 6u);
    EXPECT_EQ(points[2].config.problem.seq_q, 128);
    EXPECT_EQ(points[2].config.problem.seq_k, 4096);
    EXPECT_EQ(points[3].config.problem.seq_q, 256);
}

TEST(SweepProduct, CountIsTheProductOfListSizes) {
    EXPECT_EQ(point_count(parse_sweep_spec(
                  "gpu: [h100-sxm5, h200-sxm]\nseq: [1, 2, 3]\nwarps: [4, 8]\n", "p.yaml")),
              2 * 2 * 3 * 2);  // two default algorithms
}

}  // namespace
}  // namespace flashscope::sweep
