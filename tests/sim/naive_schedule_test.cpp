// The naive schedule against the textbook count of standard attention's HBM traffic.
#include <gtest/gtest.h>

#include "sim_test_support.hpp"

using namespace flashscope;
using namespace flashscope::sim;
using namespace flashscope::sim::testing;

namespace {

struct Sizes {
    std::int64_t bh, nq, nk, d, e, tr, tc;
};
Sizes sizes_of(const SimulationRequest& r) {
    const auto& p = r.problem;
    return {p.batch * p.heads,
            p.seq_q,
            p.seq_k,
            p.head_dim,
            bytes_of(p.dtype),
            (p.seq_q + r.tile.block_m - 1) / r.tile.block_m,
            (p.seq_k + r.tile.block_n - 1) / r.tile.block_n};
}

}  // namespace

// Textbook forward: read Q, K, V; write S; read S; write P; read P; write O. The GEMMs' tiling
// re-reads Q once per extra column block, K and V once per extra pair of row blocks (the tests'
// H100: cuBLAS's CTAs cover two of the grid's row blocks); the L2 absorbs those on hardware, the
// no-cache count keeps them, so both terms are spelled out here.
TEST(NaiveSchedule, ForwardHbmBytesAreTextbookPlusGemmRereads) {
    SimulationRequest req = request(Algorithm::naive);
    req.problem.seq_k = 777;  // odd, partial tiles
    const Sizes s = sizes_of(req);
    const Result r = simulate(req);
    const std::int64_t q = s.bh * s.nq * s.d * s.e, kv = s.bh * s.nk * s.d * s.e;
    const std::int64_t nn = s.bh * s.nq * s.nk * s.e;
    const std::int64_t textbook_read = q + 2 * kv + nn + nn;  // Q K V, S, P
    const std::int64_t textbook_write = nn + nn + q;          // S, P, O
    const std::int64_t pairs = (s.tr + 1) / 2;
    const std::int64_t rereads = (s.tc - 1) * q + (pairs - 1) * kv + (pairs - 1) * kv;
    EXPECT_EQ(r.totals.hbm_read_bytes, textbook_read + rereads);
    EXPECT_EQ(r.totals.hbm_write_bytes, textbook_write);
}

TEST(NaiveSchedule, BackwardHbmBytesAreTextbookPlusGemmRereads) {
    SimulationRequest req = request(Algorithm::naive);
    req.problem.pass = Pass::bwd;
    const Sizes s = sizes_of(req);
    const Result r = simulate(req);
    const std::int64_t q = s.bh * s.nq * s.d * s.e, kv = s.bh * s.nk * s.d * s.e;
    const std::int64_t nn = s.bh * s.nq * s.nk * s.e;
    // dV = P^T dO: P, dO. dP = dO V^T: dO, V, writes dP. dS: O, dO, P, dP, writes dS.
    // dQ = dS K: dS, K. dK = dS^T Q: dS, Q. Writes dV, dP, dS, dQ, dK.
    const std::int64_t textbook_read = nn + q + q + kv + q + q + nn + nn + nn + kv + nn + q;
    const std::int64_t textbook_write = kv + nn + nn + q + kv;
    const std::int64_t row_pairs = (s.tr + 1) / 2, col_pairs = (s.tc + 1) / 2;
    const std::int64_t rereads = (col_pairs - 1) * q     // dV re-reads dO per key block pair
                                 + (s.tc - 1) * q        // dP re-reads dO per key block
                                 + (row_pairs - 1) * kv  // dP re-reads V per query block pair
                                 + (row_pairs - 1) * kv  // dQ re-reads K per query block pair
                                 + (col_pairs - 1) * q;  // dK re-reads Q per key block pair
    EXPECT_EQ(r.totals.hbm_read_bytes, textbook_read + rereads);
    EXPECT_EQ(r.totals.hbm_write_bytes, textbook_write);
}

// With a real L2 the small operands' re-reads hit, S and P stream through: HBM traffic comes
// within 1% of the textbook count once S no longer fits the L2.
TEST(NaiveSchedule, CycleModelWithL2ApproachesTextbookCount) {
    SimulationRequest req = request(Algorithm::naive, Model::cycle);
    req.problem.batch = 4;
    req.problem.heads = 16;
    req.problem.kv_heads = 16;
    req.problem.seq_q = req.problem.seq_k = 2048;
    req.tile = {128, 128, 8, 2};
    const Sizes s = sizes_of(req);
    const Result r = simulate(req);
    const double q = double(s.bh * s.nq * s.d * s.e), nn = double(s.bh * s.nq * s.nk * s.e);
    const double textbook = 3 * q + 2 * nn + 2 * nn + q;  // Q K V read, S and P both ways, O
    const double measured = double(hbm_bytes(r) + r.l2_dirty_at_end_bytes);
    EXPECT_NEAR(measured / textbook, 1.0, 0.01);
    EXPECT_LT(double(hbm_bytes(r)), textbook);
}

TEST(NaiveSchedule, EagerModeAddsOneReadAndWriteOfSPerElementwiseKernel) {
    SimulationRequest req = request(Algorithm::naive);
    req.problem.causal = true;
    const Result fused = simulate(req);
    req.options.naive_eager = true;
    const Result eager = simulate(req);
    const Sizes s = sizes_of(req);
    const std::int64_t nn = s.bh * s.nq * s.nk * s.e;
    // scale and mask kernels, each reading and writing S
    EXPECT_EQ(eager.totals.hbm_read_bytes - fused.totals.hbm_read_bytes, 2 * nn);
    EXPECT_EQ(eager.totals.hbm_write_bytes - fused.totals.hbm_write_bytes, 2 * nn);
    EXPECT_EQ(eager.kernels.size(), fused.kernels.size() + 2);
    req.problem.dropout = 0.1;
    EXPECT_EQ(simulate(req).kernels.size(), eager.kernels.size() + 1);
}

TEST(NaiveSchedule, SoftmaxReadsSTwiceWhenARowDoesNotFitSram) {
    // 4100 keys are no whole number of 8-element vectors: the looped kernel, not the register one.
    SimulationRequest req = request(Algorithm::naive);
    req.problem.seq_k = 4100;
    const Result cached = simulate(req);
    req.gpu.sram_per_block_bytes = 4096;  // a 4100-key bf16 row needs 8200 B
    req.gpu.sram_per_sm_bytes = 100 * 1024;
    req.tile.stages = 1;
    req.tile.block_m = req.tile.block_n = 16;
    req.tile.warps = 1;
    const Result streamed = simulate(req);
    const auto softmax_read = [](const Result& r) {
        for (const auto& k : r.kernels)
            if (k.name == "naive_softmax") return k.metrics.hbm_read_bytes;
        return std::int64_t{-1};
    };
    EXPECT_EQ(softmax_read(streamed), 2 * softmax_read(cached));
}

TEST(NaiveSchedule, SoftmaxHoldsAWholeRowInRegistersAndStreams) {
    // 16384 bf16 keys: 8 vectors of 8 per thread, every load of a row in flight at once, so the
    // kernel moves S in and P out at the memory's rate (measured on the H200: 8.6 GB in 2.53 ms,
    // docs/validation/h200-2026-12-01T1133-default.json), not one latency per tile.
    SimulationRequest req = request(Algorithm::naive, Model::cycle, "h200-sxm");
    req.problem.batch = 1;
    req.problem.heads = req.problem.kv_heads = 8;
    req.problem.seq_q = req.problem.seq_k = 16384;
    req.problem.head_dim = 64;
    req.problem.pass = Pass::fwd;
    req.tile = {};
    const Result r = simulate(req);
    const std::int64_t nn = std::int64_t{8} * 16384 * 16384 * 2;
    for (const auto& k : r.kernels) {
        if (k.name != "naive_softmax") continue;
        EXPECT_EQ(k.metrics.hbm_read_bytes, nn);
        // Shared memory only for the row's two block reductions: Nsight Compute counted 65.9 load
        // and 16.3 store wavefronts (128 B) per row on the H200 (the same run).
        const double rows = 8.0 * 16384;
        EXPECT_NEAR(double(k.metrics.sram_read_bytes) / 128 / rows, 65.9, 65.9 * 0.05);
        EXPECT_NEAR(double(k.metrics.sram_write_bytes) / 128 / rows, 16.3, 16.3 * 0.05);
        EXPECT_EQ(k.bottleneck, Resource::hbm);
        const double stream = req.gpu.hbm_seconds(double(nn), double(nn)) + req.gpu.kernel_launch_s;
        EXPECT_LT(k.metrics.time_s, 1.1 * stream);
        EXPECT_GT(k.metrics.time_s, 0.8 * stream);
    }
}

TEST(NaiveSchedule, HopperGemmsReadTheirOperandsAsCublasDoes) {
    // cuBLAS on the H200 (b1 h8 n4096 d64, bf16) ran wgmma with both operands in shared memory:
    // S = QK^T read 402,653,184 B and O = PV 536,870,912 B through wgmma
    // (sm__sass_data_bytes_mem_shared_op_gmma, docs/validation/h200-2026-12-01T1133-default.json).
    // An A100 has no wgmma: its mma.sync warps re-read the tiles (2 x 4 warps).
    SimulationRequest req = request(Algorithm::naive, Model::cycle, "h200-sxm");
    req.problem.dtype = DType::bf16;
    req.problem.batch = 1;
    req.problem.heads = req.problem.kv_heads = 8;
    req.problem.seq_q = req.problem.seq_k = 4096;
    req.tile = {};
    const auto sram_read = [&](const Result& r, const std::string& kernel) {
        for (const KernelResult& k : r.kernels)
            if (k.name == kernel) return double(k.metrics.sram_read_bytes);
        ADD_FAILURE() << kernel;
        return 0.0;
    };
    const Result hopper = simulate(req);
    EXPECT_NEAR(sram_read(hopper, "naive_qk") / 402653184.0, 1.0, 0.05);
    // Its CTAs of 256 rows read K and V 16 times from the L2 (QK^T 201,478,784 B, PV
    // 335,556,608 B received by the SMs, l1tex__m_xbar2l1tex_read_sectors x 32, same run).
    const auto l2_read = [&](const std::string& kernel) {
        for (const KernelResult& k : hopper.kernels)
            if (k.name == kernel) return double(k.metrics.l2_read_bytes);
        return 0.0;
    };
    EXPECT_NEAR(l2_read("naive_qk") / 201478784.0, 1.0, 0.02);
    EXPECT_NEAR(l2_read("naive_pv") / 335556608.0, 1.0, 0.02);
    EXPECT_NEAR(sram_read(hopper, "naive_pv") / 536870912.0, 1.0, 0.05);
    req.gpu = gpu_preset("a100-sxm4-80gb");
    const Result ampere = simulate(req);
    EXPECT_GT(sram_read(ampere, "naive_qk"), 1.8 * sram_read(hopper, "naive_qk"));
}
