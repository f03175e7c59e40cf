// FlashAttention schedules: the minimum traffic, the closed forms, and how tiles change them.
#include <gtest/gtest.h>

#include "sim_test_support.hpp"

using namespace flashscope;
using namespace flashscope::sim;
using namespace flashscope::sim::testing;

TEST(Flash2Schedule, ForwardReadsAtLeastQKVOnceAndWritesOOnce) {
    for (Model model : {Model::analytic, Model::cycle}) {
        const Result r = simulate(request(Algorithm::flash2, model));
        const auto& p = r.problem;
        const std::int64_t q = p.batch * p.heads * p.seq_q * p.head_dim * 2;
        const std::int64_t kv = p.batch * p.kv_heads * p.seq_k * p.head_dim * 2;
        EXPECT_GE(r.totals.hbm_read_bytes, q + 2 * kv);
        // O once, plus the fp32 logsumexp per row; what stays dirty in L2 is reported apart
        EXPECT_EQ(r.totals.hbm_write_bytes + r.l2_dirty_at_end_bytes,
                  q + p.batch * p.heads * p.seq_q * 4);
    }
}

// Theorem-2 style closed form: Q read once, K and V once per query block, O and LSE once.
TEST(Flash2Schedule, ForwardHbmBytesMatchClosedForm) {
    SimulationRequest req = request(Algorithm::flash2);
    req.problem.seq_q = 1000;
    req.problem.seq_k = 1500;
    const Result r = simulate(req);
    const std::int64_t bh = 8, d = 64, e = 2, tr = (1000 + 63) / 64;
    EXPECT_EQ(r.totals.hbm_read_bytes, bh * (1000 * d * e + tr * 2 * 1500 * d * e));
    EXPECT_EQ(r.totals.hbm_write_bytes, bh * 1000 * (d * e + 4));
    EXPECT_DOUBLE_EQ(r.totals.flops_matmul, 4.0 * double(bh * 1000 * 1500 * d));
}

TEST(Flash2Schedule, CausalSkipsBlocksAboveTheDiagonal) {
    SimulationRequest req = request(Algorithm::flash2);
    req.problem.seq_q = req.problem.seq_k = 4096;
    const Result full = simulate(req);
    req.problem.causal = true;
    const Result causal = simulate(req);
    const double ratio = causal.totals.flops_matmul / full.totals.flops_matmul;
    // half of the blocks plus the diagonal ones: (T + 1) / 2T with T = 64 blocks
    EXPECT_NEAR(ratio, (64.0 + 1) / (2 * 64.0), 1e-12);
    EXPECT_GT(ratio, 0.45);
    EXPECT_LT(ratio, 0.6);
}

// Forward: flash1 re-reads and re-writes O, l, m per key block; flash2 writes O once, in the
// no-cache count and, once O outgrows the L2, in the cycle model. Backward: without a cache
// flash2's fp32 dQ reductions (8 B per element, read and write) cost more HBM than flash1's dQ
// round trips, and flash1's one-CTA-per-head working set fits the L2 at small batch; what
// flash1 always moves more of is SM <-> L2 traffic.
TEST(Flash1Schedule, MovesMoreHbmBytesThanFlash2ForTheSameTiles) {
    SimulationRequest req = request(Algorithm::flash1);
    const Result f1 = simulate(req);
    req.algorithm = Algorithm::flash2;
    EXPECT_GT(hbm_bytes(f1), hbm_bytes(simulate(req)));

    req = request(Algorithm::flash1, Model::cycle);
    req.problem.batch = 2;
    req.problem.heads = req.problem.kv_heads = 16;
    req.problem.seq_q = req.problem.seq_k = 8192;
    req.problem.head_dim = 128;
    req.tile = {128, 128, 8, 1};  // O is 2 MiB per head, 64 MiB in all: more than the L2
    const Result f1_cycle = simulate(req);
    req.algorithm = Algorithm::flash2;
    EXPECT_GT(hbm_bytes(f1_cycle), 2 * hbm_bytes(simulate(req)));
}

TEST(Flash1Schedule, BackwardMovesMoreL2TrafficThanFlash2) {
    SimulationRequest req = request(Algorithm::flash1, Model::cycle);
    req.problem.pass = Pass::bwd;
    const Result f1 = simulate(req);
    req.algorithm = Algorithm::flash2;
    const Result f2 = simulate(req);
    EXPECT_GT(f1.totals.l2_read_bytes, f2.totals.l2_read_bytes);
}

// Algorithm 1 as kernels/src/flash1_fwd_kernel.cuh runs it: per key block each query block reads
// Q, and past the first block its running O (fp32), l and m; it writes them back, or on its last
// block O in the dtype and the logsumexp.
TEST(Flash1Schedule, ForwardHbmBytesFollowTheKernelsFp32RunningOutput) {
    const SimulationRequest req = request(Algorithm::flash1);
    const Result r = simulate(req);
    const std::int64_t bh = 8, n = 1024, d = 64, e = 2, tc = n / 64, state = d * 4 + 8;
    EXPECT_EQ(r.totals.hbm_read_bytes,
              bh * (2 * n * d * e + tc * n * d * e + (tc - 1) * n * state));
    EXPECT_EQ(r.totals.hbm_write_bytes, bh * ((tc - 1) * n * state + n * (d * e + 4)));
}

TEST(FlashSchedules, HbmTrafficFallsAsBlocksGrow) {
    for (Algorithm algo : {Algorithm::flash1, Algorithm::flash2}) {
        std::int64_t previous = 0;
        for (std::int64_t block : {32, 64, 128}) {
            SimulationRequest req = request(algo);
            req.problem.seq_q = req.problem.seq_k = 4096;
            req.tile = {block, block, block / 16 >= 8 ? 8 : block / 16, 1};
            const std::int64_t bytes = hbm_bytes(simulate(req));
            if (previous) {
                EXPECT_LT(bytes, previous) << to_string(algo) << " block " << block;
            }
            previous = bytes;
        }
    }
}

TEST(Flash2Schedule, BackwardRecomputesWithoutNxNTraffic) {
    SimulationRequest req = request(Algorithm::flash2, Model::cycle);
    req.problem.pass = Pass::bwd;
    req.problem.seq_q = req.problem.seq_k = 4096;
    const Result flash = simulate(req);
    req.algorithm = Algorithm::naive;
    const Result naive = simulate(req);
    const std::int64_t nn = 8 * std::int64_t{4096} * 4096 * 2;  // one N x N matrix, all heads
    EXPECT_LT(hbm_bytes(flash), nn / 4);
    EXPECT_GT(hbm_bytes(naive), 5 * nn);  // P twice, dP twice, dS three times, less L2 hits
    // 2.5x the forward FLOPs: five GEMMs instead of two
    req.algorithm = Algorithm::flash2;
    req.problem.pass = Pass::fwd;
    EXPECT_DOUBLE_EQ(flash.totals.flops_matmul / simulate(req).totals.flops_matmul, 2.5);
}

TEST(FlashSchedules, GqaReadsEachKvHeadOnceThroughL2) {
    SimulationRequest req = request(Algorithm::flash2, Model::cycle);
    req.problem.heads = 8;
    req.problem.kv_heads = 2;
    const Result gqa = simulate(req);
    req.problem.kv_heads = 8;
    const Result mha = simulate(req);
    EXPECT_LT(gqa.totals.hbm_read_bytes, mha.totals.hbm_read_bytes);
    req.problem.kv_heads = 2;
    req.problem.pass = Pass::bwd;
    const Result bwd = simulate(req);
    EXPECT_EQ(bwd.kernels.back().name, "flash2_bwd_dkv_reduce");
}

TEST(Flash2Schedule, BackwardSharedMemoryFollowsTheKernelsCounters) {
    // Nsight Compute on the H200 (b2 h16 n4096 d64, 64x128 tile of 8 warps, bf16): the main
    // kernel read 27,952,336,000 B of shared memory (wavefronts x 128,
    // docs/validation/h200-2026-12-01T1133-default.json) and issued 77,578,240 LSU instructions
    // (smsp__inst_executed_pipe_lsu.sum, docs/validation/h200-2026-12-01T1131-model-probe.tgz):
    // per warp and Q block 96 ldmatrix.x4, 16 8-byte LSE and D loads, 16 4-byte dS stores, the
    // cp.async copies and 8 reductions.
    SimulationRequest req = request(Algorithm::flash2, Model::cycle, "h200-sxm");
    req.problem.pass = Pass::bwd;
    req.problem.dtype = DType::bf16;
    req.problem.heads = req.problem.kv_heads = 16;
    req.problem.seq_q = req.problem.seq_k = 4096;
    req.tile = {64, 128, 8, 2};
    const Result r = simulate(req);
    const KernelResult* main = nullptr;
    for (const KernelResult& k : r.kernels)
        if (k.name == "flash2_bwd") main = &k;
    ASSERT_NE(main, nullptr);
    EXPECT_NEAR(double(main->metrics.sram_read_bytes) / 27952336000.0, 1.0, 0.05);
    ASSERT_TRUE(main->metrics.inst_lsu.has_value());
    EXPECT_NEAR(*main->metrics.inst_lsu / 77578240.0, 1.0, 0.1);
}

// The backward's CTA ends writing dK and dV from its accumulators (4-byte stores of packed pairs)
// and begins copying its K and V blocks: both go through its SM's port to the L2, as the forward's
// prologue and epilogue do. One Q block per CTA (seq_q 128 against 16384 keys: 4096 CTAs) makes
// the epilogue a large part of each CTA; a slower store port must show in the time.
TEST(Flash2Schedule, BackwardEpilogueStoresGoThroughTheSmsPort) {
    const auto main_kernel_time = [](double store_bytes_per_clk) {
        SimulationRequest req = request(Algorithm::flash2, Model::cycle, "h200-sxm");
        req.problem = {2, 16, 16, 128, 16384, 64, DType::bf16, false, Pass::bwd};
        req.tile = {128, 128, 8, 2};
        req.gpu.l2_sm_write_bytes_per_clk = store_bytes_per_clk;
        for (const KernelResult& k : simulate(req).kernels)
            if (k.name == "flash2_bwd") return k.metrics.time_s;
        return 0.0;
    };
    const double rate = gpu_preset("h200-sxm").l2_sm_write_bytes_per_clk;
    // 4096 CTAs, 1 per SM: 31 waves of 256 store instructions per CTA, 256 B each at the port.
    EXPECT_GT(main_kernel_time(rate / 8) - main_kernel_time(rate), 100e-6);
}
