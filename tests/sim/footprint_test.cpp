#include <gtest/gtest.h>

#include "sim_test_support.hpp"

using namespace flashscope;
using namespace flashscope::sim;
using namespace flashscope::sim::testing;

TEST(Footprint, NaiveHoldsTheNxNScoreMatrix16GiBPerHeadAt64kFp32) {
    SimulationRequest req = request(Algorithm::naive);
    req.problem.batch = req.problem.heads = req.problem.kv_heads = 1;
    req.problem.seq_q = req.problem.seq_k = 65536;
    req.problem.dtype = DType::fp32;
    const std::int64_t s_bytes = std::int64_t{65536} * 65536 * 4;
    ASSERT_EQ(s_bytes, std::int64_t{16} << 30);
    const Result r = simulate(req);
    // Q, K, V, O plus S and P, both live during the softmax
    EXPECT_EQ(r.totals.hbm_footprint_bytes, 2 * s_bytes + 4 * 65536 * 64 * 4);
    EXPECT_TRUE(r.fits_hbm);  // 32 GiB on an 80 GB H100
    req.problem.heads = req.problem.kv_heads = 4;
    EXPECT_FALSE(simulate(req).fits_hbm);
}

TEST(Footprint, Flash2GrowsLinearlyWithSequenceLength) {
    for (Pass pass : {Pass::fwd, Pass::bwd}) {
        SimulationRequest req = request(Algorithm::flash2);
        req.problem.pass = pass;
        req.problem.seq_q = req.problem.seq_k = 8192;
        const std::int64_t at_8k = simulate(req).totals.hbm_footprint_bytes;
        req.problem.seq_q = req.problem.seq_k = 16384;
        EXPECT_EQ(simulate(req).totals.hbm_footprint_bytes, 2 * at_8k);
    }
}

TEST(Footprint, OneMillionTokensDoNotOverflow) {
    SimulationRequest req = request(Algorithm::naive);
    req.problem.batch = 1;
    req.problem.heads = req.problem.kv_heads = 8;
    req.problem.seq_q = req.problem.seq_k = std::int64_t{1} << 20;
    req.problem.dtype = DType::fp32;
    req.tile = {128, 128, 8, 1};
    const Result r = simulate(req);
    const std::int64_t nn = std::int64_t{8} << 40 << 2;  // 8 heads x 2^40 scores x 4 bytes
    EXPECT_GT(r.totals.hbm_footprint_bytes, 2 * nn);
    EXPECT_EQ(r.totals.hbm_write_bytes, 2 * nn + 8 * (std::int64_t{1} << 20) * 64 * 4);
    EXPECT_FALSE(r.fits_hbm);
}
