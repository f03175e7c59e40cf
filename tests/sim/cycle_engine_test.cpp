// Timing behaviour of the cycle model: what must hold whatever the constants are.
#include <gtest/gtest.h>

#include <functional>

#include "flashscope/sim/occupancy.hpp"
#include "flashscope/sim/tile_advisor.hpp"
#include "sim_test_support.hpp"

using namespace flashscope;
using namespace flashscope::sim;
using namespace flashscope::sim::testing;

TEST(CycleEngine, NaiveIsMemoryBoundAndFlash2IsNot) {
    SimulationRequest req = request(Algorithm::naive, Model::cycle);
    req.problem.batch = 4;
    req.problem.heads = req.problem.kv_heads = 16;
    req.problem.seq_q = req.problem.seq_k = 4096;
    req.problem.head_dim = 128;
    req.tile = {};
    const Result naive = simulate(req);
    req.algorithm = Algorithm::flash2;
    req.tile = {128, 64, 4, 2};
    const Result flash = simulate(req);
    EXPECT_LT(flash.totals.time_s, naive.totals.time_s);
    for (const auto& k : naive.kernels)
        if (k.name == "naive_softmax") {
            EXPECT_EQ(k.bottleneck, Resource::hbm);
        }
    EXPECT_NE(flash.bottleneck, Resource::hbm);
}

TEST(CycleEngine, FlashAttentionOneOnAQuarterOfTheSmsIsBoundByTheirL2Ports) {
    // One CTA per head (32 of 132 SMs), its fp32 running output read and written every step.
    SimulationRequest req = request(Algorithm::flash1, Model::cycle, "h200-sxm");
    req.problem.heads = req.problem.kv_heads = 16;
    req.problem.seq_q = req.problem.seq_k = 4096;
    req.problem.head_dim = 128;
    req.tile = {128, 64, 8, 2};
    const Result with_port = simulate(req);
    ASSERT_EQ(with_port.kernels.size(), 1u);
    EXPECT_EQ(with_port.kernels[0].bottleneck, Resource::l2port);
    EXPECT_GE(with_port.kernels[0].l2port_busy, 0.5);
    EXPECT_NE(explain_tile(with_port, req.gpu).find("L2-port-bound"), std::string::npos);
    req.gpu.l2_sm_read_bytes_per_clk = req.gpu.l2_sm_write_bytes_per_clk = 0;
    req.gpu.l2_sm_line_read_bytes_per_clk = 0;
    const Result without = simulate(req);
    EXPECT_EQ(without.kernels[0].l2port_busy, 0);
    EXPECT_LT(without.totals.time_s, 0.8 * with_port.totals.time_s);
}

TEST(CycleEngine, TimeScalesWithWorkAndHigherBandwidthHelpsNaive) {
    SimulationRequest req = request(Algorithm::naive, Model::cycle);
    req.problem.seq_q = req.problem.seq_k = 4096;
    const double t1 = simulate(req).totals.time_s;
    req.problem.batch *= 2;
    const double t2 = simulate(req).totals.time_s;
    EXPECT_NEAR(t2 / t1, 2.0, 0.2);
    req.gpu.hbm_bytes_per_s *= 2;
    EXPECT_LT(simulate(req).totals.time_s, t2);
}

TEST(CycleEngine, OccupancyWavesAndCyclesAreConsistent) {
    const SimulationRequest req = request(Algorithm::flash2, Model::cycle);
    const Result r = simulate(req);
    const KernelResult& k = r.kernels.front();
    EXPECT_EQ(k.ctas, 8 * (1024 / 64));
    EXPECT_DOUBLE_EQ(k.waves, double(k.ctas) / double(132 * k.ctas_per_sm));
    EXPECT_NEAR(k.metrics.cycles, k.metrics.time_s * req.gpu.sm_clock_hz, 1e-6 * k.metrics.cycles);
    EXPECT_GT(k.occupancy, 0.0);
    EXPECT_LE(k.occupancy, 1.0);
}

TEST(CycleEngine, SingleStagePaysMemoryLatencyEveryStep) {
    SimulationRequest req = request(Algorithm::flash2, Model::cycle);
    const double pipelined = simulate(req).totals.time_s;
    req.tile.stages = 1;
    EXPECT_GT(simulate(req).totals.time_s, pipelined);
}

// SMs run their CTAs independently: a causal forward, whose CTAs are of unequal length and start
// and end at staggered times, takes about its share of the visible blocks of the full forward's
// time, not the time of rounds that each wait for some CTA's prologue or epilogue.
TEST(CycleEngine, CausalForwardTimeFollowsItsShareOfTheBlocks) {
    SimulationRequest req = request(Algorithm::flash2, Model::cycle);
    req.gpu = gpu_preset("h200-sxm");
    req.problem.batch = 2;
    req.problem.heads = req.problem.kv_heads = 16;
    req.problem.seq_q = req.problem.seq_k = 8192;
    req.problem.head_dim = 128;
    req.tile = {128, 64, 4, 2};
    const double full = simulate(req).totals.time_s;
    req.problem.causal = true;
    const double causal = simulate(req).totals.time_s;
    // Query block i (128 rows) sees keys up to 128 (i + 1): 2 (i + 1) of the 128 key blocks.
    double visible = 0;
    const int row_blocks = 8192 / 128, col_blocks = 8192 / 64;
    for (int i = 0; i < row_blocks; ++i) visible += 2.0 * (i + 1);
    const double share = visible / (double(row_blocks) * col_blocks);
    EXPECT_GT(causal / full, share);  // the diagonal blocks are masked: no cheaper than the share
    EXPECT_LT(causal / full, share * 1.15);
}

TEST(CycleEngine, WarpsOfSmallCtasAreDealtOverTheSubpartitions) {
    // Four CTAs of two warps fill an SM's four sub-partitions twice, not four times.
    EXPECT_EQ(warps_per_subpartition(4, 2, 4), 2);
    EXPECT_EQ(warps_per_subpartition(1, 8, 4), 2);
    EXPECT_EQ(warps_per_subpartition(3, 12, 4), 9);
    EXPECT_EQ(warps_per_subpartition(1, 2, 4), 1);
    EXPECT_EQ(warps_per_subpartition(5, 2, 4), 3);
}

TEST(CycleEngine, FlashAttentionOneMissesItsRunningOutputOnceItOutgrowsTheResidentL2) {
    // H200, b2 h16 n4096 d64, 64x64 tiles of 4 warps: the fp32 running output (33.5 MB, rewritten
    // every K/V block) and Q (16.8 MB) are more than the L2 keeps resident (calibrate's residency
    // sweep: 51 MiB read, 39 MiB rewritten), and the kernel read 2,885,871,616 B from HBM
    // (docs/validation/h200-2026-12-01T1133-default.json). Were the whole 60 MiB resident for
    // either, the model would find them in the L2.
    SimulationRequest req = request(Algorithm::flash1, Model::cycle, "h200-sxm");
    req.problem.dtype = DType::bf16;
    req.problem.heads = req.problem.kv_heads = 16;
    req.problem.seq_q = req.problem.seq_k = 4096;
    req.tile = {64, 64, 4, 2};
    const double measured = 2885871616.0;
    EXPECT_NEAR(double(simulate(req).totals.hbm_read_bytes) / measured, 1.0, 0.2);
    req.gpu.l2_resident_bytes = req.gpu.l2_resident_updated_bytes = req.gpu.l2_size_bytes;
    EXPECT_LT(double(simulate(req).totals.hbm_read_bytes), 0.1 * measured);
}

namespace {

// The flash2 backward of b2 h16 d64 on the H200 preset, its spec changed by `tweak`.
Result flash2_backward(std::int64_t seq, const std::function<void(GpuSpec&)>& tweak,
                       std::int64_t head_dim = 64) {
    SimulationRequest req = request(Algorithm::flash2, Model::cycle, "h200-sxm");
    req.problem.dtype = DType::bf16;
    req.problem.batch = 2;
    req.problem.heads = req.problem.kv_heads = 16;
    req.problem.seq_q = req.problem.seq_k = seq;
    req.problem.pass = Pass::bwd;
    req.problem.head_dim = head_dim;
    req.tile = {head_dim == 64 ? 128 : 64, 128, 8, 2};
    tweak(req.gpu);
    return simulate(req);
}

// The same with the block scheduler at `cta_launch_s`.
Result flash2_backward(std::int64_t seq, double cta_launch_s, std::int64_t head_dim = 64) {
    return flash2_backward(
        seq, [&](GpuSpec& g) { g.cta_launch_s = cta_launch_s; }, head_dim);
}

const KernelResult& kernel_named(const Result& r, const std::string& name) {
    for (const KernelResult& k : r.kernels)
        if (k.name == name) return k;
    throw std::runtime_error("no kernel " + name);
}

}  // namespace

// The row kernels are the CTAs kernels/src/elementwise_kernels.cu launches: 256 threads over 32
// rows (preprocess at d 64: 8 lanes a row; 16 rows at d 128) and over 16 rows (convert_dq).
TEST(CycleEngine, RowKernelsRunTheKernelsCtas) {
    const Result r = flash2_backward(1024, 0);
    EXPECT_EQ(kernel_named(r, "flash2_bwd_preprocess").ctas, 2 * 16 * 1024 / 32);
    EXPECT_EQ(kernel_named(r, "flash2_bwd_convert_dq").ctas, 2 * 16 * 1024 / 16);
    EXPECT_EQ(kernel_named(flash2_backward(1024, 0, 128), "flash2_bwd_preprocess").ctas,
              2 * 16 * 1024 / 16);
}

// An SM's CTAs start one after another: a kernel pays its first wave's starts on top of its work,
// and later waves, whose CTAs start while others run, only when the starts outlast the work.
TEST(CycleEngine, TheFirstWavesCtasStartOneAfterAnother) {
    const std::string convert = "flash2_bwd_convert_dq";
    // seq 1024: 2048 CTAs, 8 resident per SM (2048 threads): the first wave starts 8 per SM.
    const double bare = kernel_named(flash2_backward(1024, 0), convert).metrics.time_s;
    const double slow = kernel_named(flash2_backward(1024, 1e-6), convert).metrics.time_s;
    EXPECT_GE(slow - bare, 8e-6 * 0.999);
    // seq 16384: 31 waves of 8 starts per SM at 79 ns, each shorter than the wave's own HBM
    // traffic: only the first wave's starts add.
    const double quick = kernel_named(flash2_backward(16384, 79e-9), convert).metrics.time_s;
    const double none = kernel_named(flash2_backward(16384, 0), convert).metrics.time_s;
    EXPECT_NEAR(quick - none, 8 * 79e-9, 1e-9);
}

// preprocess at seq 1024 reads O and dO (8 MiB) from HBM and stores dq_accum's zeros (8 MiB) into
// the L2: the L2 takes the fills and the stores at its write rate, and the kernel with them.
TEST(CycleEngine, StoresAndFillsTakeTheL2sWriteRate) {
    const GpuSpec h200 = gpu_preset("h200-sxm");
    const double rate = h200.l2_write_bytes_per_clk;
    const auto preprocess = [](double write_bytes_per_clk) {
        const Result r = flash2_backward(
            1024, [&](GpuSpec& g) { g.l2_write_bytes_per_clk = write_bytes_per_clk; });
        return kernel_named(r, "flash2_bwd_preprocess").metrics.time_s;
    };
    const double written = 16.0 * (1 << 20) + 2 * 16 * 1024 * 4;  // fills and zeros, then D
    EXPECT_NEAR(preprocess(rate / 2) - preprocess(rate), written / (rate * h200.sm_clock_hz),
                0.05e-6);
}

// A kernel's first round cannot end before its first bytes arrive: its HBM latency comes on top
// of the bytes' transfer, even where the transfer, not the latency, bounds the round.
TEST(CycleEngine, TheFirstRoundWaitsForItsFirstBytes) {
    const auto preprocess = [](double hbm_latency_s) {
        const Result r =
            flash2_backward(1024, [&](GpuSpec& g) { g.hbm_latency_s = hbm_latency_s; });
        return kernel_named(r, "flash2_bwd_preprocess").metrics.time_s;
    };
    EXPECT_NEAR(preprocess(400e-9) - preprocess(100e-9), 300e-9, 1e-9);
}
