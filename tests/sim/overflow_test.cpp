// Problems whose counts do not fit 64 bits are refused, naming what overflows, by either model,
// and before the cycle model starts its long run; nothing wraps into a wrong number.
#include <gtest/gtest.h>

#include <chrono>

#include "flashscope/core/count.hpp"
#include "sim_test_support.hpp"

using namespace flashscope;
using namespace flashscope::sim;
using namespace flashscope::sim::testing;

namespace {

constexpr std::int64_t k_16m = std::int64_t{1} << 24;

CountOverflow overflow_of(const SimulationRequest& req) {
    try {
        simulate(req);
    } catch (const CountOverflow& e) {
        return e;
    }
    ADD_FAILURE() << "expected a CountOverflow";
    return CountOverflow("", "");
}

SimulationRequest long_context(Algorithm algo, std::int64_t batch, std::int64_t heads) {
    SimulationRequest req = request(algo);
    req.tile = {};
    req.problem.batch = batch;
    req.problem.heads = req.problem.kv_heads = heads;
    req.problem.seq_q = req.problem.seq_k = k_16m;
    req.problem.head_dim = 128;
    return req;
}

}  // namespace

TEST(CountOverflow, IssueExamplesAreRefusedNamingTheProduct) {
    // Printed "naive HBM read 0 B" before: S of 128 x 128 heads at 16M tokens is 2^63 bytes.
    SimulationRequest req = long_context(Algorithm::naive, 128, 128);
    EXPECT_EQ(overflow_of(req).field(), "batch*heads*seq_q*seq_k*elem");
    // Printed "flash2 HBM read -5424 PiB" before.
    req = long_context(Algorithm::flash2, 1024, 1024);
    req.problem.head_dim = 256;
    req.problem.dtype = DType::fp32;
    const CountOverflow e = overflow_of(req);
    EXPECT_EQ(e.field(), "batch*heads*seq_q*seq_k*elem");
    EXPECT_EQ(e.value(), "1024*1024*16777216*16777216*4 = 1.18e+21");
}

TEST(CountOverflow, CountsPastTheProblemBoundNameTheKernelAndTheCount) {
    // S fits (2^62 bytes) but naive_qk reads Q once and K twice per tile from shared memory
    // (an H100's two warpgroups): 1.5 x 2^63 bytes.
    const SimulationRequest req = long_context(Algorithm::naive, 64, 128);
    const CountOverflow e = overflow_of(req);
    EXPECT_EQ(e.field(), "naive_qk sram_read_bytes");
    EXPECT_EQ(e.value(), "1688849860263936 * 8192");  // per head, times 64 x 128 heads
}

TEST(CountOverflow, CycleModelRefusesBeforeItsLongRun) {
    SimulationRequest req = long_context(Algorithm::flash2, 64, 128);
    req.model = Model::cycle;
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(overflow_of(req).field(), "flash2_fwd l2_read_bytes");
    // The engine would walk 2^30 CTAs; the closed-form check answers at once.
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

TEST(CountOverflow, FootprintIsCheckedToo) {
    // fwdbwd keeps three N x N matrices: 3 * 2^61 bytes, though one (2^61) fits.
    SimulationRequest req = long_context(Algorithm::naive, 32, 128);
    req.problem.pass = Pass::fwdbwd;
    req.model = Model::analytic;
    const CountOverflow e = overflow_of(req);
    EXPECT_NE(e.field().find("bytes"), std::string::npos) << e.what();
}

TEST(CountOverflow, LargestCountableLongContextIsExact) {
    // 16 heads at 16M tokens: flash2 reads Q once plus K and V once per 128-row block.
    SimulationRequest req = long_context(Algorithm::flash2, 1, 16);
    req.tile = {128, 128, 8, 1};
    const Result r = simulate(req);
    const std::int64_t row_bytes = 128 * 2;
    const std::int64_t expected = 16 * (k_16m * row_bytes + (k_16m / 128) * 2 * k_16m * row_bytes);
    EXPECT_EQ(r.totals.hbm_read_bytes, expected);
    EXPECT_GT(double(r.totals.hbm_read_bytes), 9.0e15);  // past 2^53: exact as an integer
}
