// flash1_released against the launch rules of FlashAttention v1.0.9 (csrc/flash_attn/src,
// docs/MODEL.md "flash1_released"), recomputed here from those rules.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "flashscope/core/error.hpp"
#include "sim_test_support.hpp"

using namespace flashscope;
using namespace flashscope::sim;
using namespace flashscope::sim::testing;

namespace {

const Algorithm& released() {
    static const Algorithm a = parse_algorithm("flash1_released");
    return a;
}

SimulationRequest fa1(Pass pass, std::int64_t batch, std::int64_t heads, std::int64_t seq,
                      std::int64_t d) {
    SimulationRequest req = without_l2(request(released()));
    req.tile = {};
    req.problem.pass = pass;
    req.problem.batch = batch;
    req.problem.heads = req.problem.kv_heads = heads;
    req.problem.seq_q = req.problem.seq_k = seq;
    req.problem.head_dim = d;
    return req;
}

std::vector<std::string> names_of(const Result& r) {
    std::vector<std::string> names;
    for (const auto& k : r.kernels) names.push_back(k.name);
    return names;
}

// num_splits_heuristic_fwd (fmha_fwd_launch_template.h), in double.
std::int64_t forward_splits(std::int64_t batch_heads, std::int64_t slots) {
    std::vector<double> eff;
    double best = 0;
    for (int s = 1; s <= 30; ++s) {
        const double waves = double(batch_heads * s) / double(slots);
        eff.push_back(waves / std::ceil(waves));
        best = std::max(best, eff.back());
    }
    for (int s = 1; s <= 30; ++s)
        if (eff[std::size_t(s - 1)] > 0.95 * best) return s;
    return 1;
}

}  // namespace

TEST(Flash1Released, ForwardRunsSixteenRowStepsOverKvBlocksOf256Or128Keys) {
    struct Case {
        std::int64_t seq, d, block_n;
    };
    for (const Case& c : {Case{4096, 64, 256}, Case{4096, 32, 256}, Case{4096, 128, 128},
                          Case{128, 64, 128}, Case{4096, 40, 256}}) {
        const Result r = simulate(fa1(Pass::fwd, 1, 4, c.seq, c.d));
        EXPECT_EQ(r.tile.block_m, 16) << c.d;
        EXPECT_EQ(r.tile.block_n, c.block_n) << c.seq << " " << c.d;
    }
}

// Shared memory: Q (16 x D, two buffers) + max(K or V (block_n x D), O's fp32 partials of the
// four warps + the softmax's 16 x 4 x 2 floats) + 16 x 2 floats of logsumexp when it loops.
TEST(Flash1Released, ForwardGridIsBatchTimesHeadsTimesTheSplitHeuristic) {
    for (std::int64_t heads : {4, 16, 40}) {
        const SimulationRequest req = fa1(Pass::fwd, 1, heads, 16384, 128);
        const Result r = simulate(req);
        ASSERT_EQ(names_of(r), std::vector<std::string>{"flash1_released_fwd"});
        const KernelResult& k = r.kernels[0];
        EXPECT_EQ(k.sram_per_cta_bytes,
                  16 * 128 * 2 * 2 + std::max(128 * 128 * 2, 16 * 128 * 4 * 4 + 16 * 4 * 4 * 2) +
                      16 * 4 * 2);
        const std::int64_t slots = req.gpu.sm_count * k.ctas_per_sm;
        EXPECT_EQ(k.ctas, heads * forward_splits(heads, slots)) << heads;
    }
}

// Without an L2: every split that has query blocks loads each K/V block; each K/V block re-reads
// Q, and after the first one the fp32 partial output and the logsumexp, which it rewrites; the
// last K/V block writes O in the input dtype.
TEST(Flash1Released, ForwardHbmBytesFollowTheKvOuterLoopWithFp32Partials) {
    const SimulationRequest req = fa1(Pass::fwd, 2, 4, 2048, 64);
    const Result r = simulate(req);
    const double heads = 8, n = 2048, d = 64, e = 2, block_n = 256, tc = n / block_n;
    const double splits = double(r.kernels[0].ctas) / heads;
    const double kv = splits * tc * 2 * block_n * d * e, q = tc * n * d * e;
    const double partials = (tc - 1) * n * (d * 4 + 4);
    EXPECT_EQ(double(r.totals.hbm_read_bytes), heads * (kv + q + partials));
    EXPECT_EQ(double(r.totals.hbm_write_bytes),
              heads * (tc * n * 4 + n * d * e + (tc - 1) * n * d * 4));
}

// num_splits_heuristic_bwd: few (batch, head) CTAs against the SMs -> one CTA per K/V block with
// dQ added by fp32 atomics, between a D = rowsum(dO * O) kernel and dQ's conversion; a full wave
// of (batch, head) CTAs -> the loop kernel alone.
TEST(Flash1Released, BackwardPicksSeqParallelOrTheLoopKernelByWaveEfficiency) {
    const Result parallel = simulate(fa1(Pass::bwd, 1, 16, 4096, 128));
    EXPECT_EQ(names_of(parallel),
              (std::vector<std::string>{
                  "flash1_released_bwd_zero_dq_accum", "flash1_released_bwd_dot_do_o",
                  "flash1_released_bwd_seq_parallel", "flash1_released_bwd_convert_dq"}));
    EXPECT_EQ(parallel.kernels[2].ctas, 16 * 4096 / 128);
    EXPECT_EQ(parallel.kernels[1].ctas, 16 * (4096 / 128));  // 128-row chunks of D
    // 2 x 66 (batch, head) CTAs fill the 132 SMs of an H100 one per SM (152 KiB of SRAM each)
    const Result loop = simulate(fa1(Pass::bwd, 2, 66, 512, 128));
    EXPECT_EQ(names_of(loop), std::vector<std::string>{"flash1_released_bwd"});
    EXPECT_EQ(loop.kernels[0].ctas, 132);
    EXPECT_EQ(loop.kernels[0].ctas_per_sm, 1);
    EXPECT_EQ(loop.kernels[0].sram_per_cta_bytes,
              2 * (16 * 128 * 2 * 2) + 2 * (128 * 128 * 2) + 16 * 128 * 4 * 8 + 2 * (16 * 128 * 2));
}

// The seq-parallel backward reduces dQ in fp32 at the L2: 16 x d x 4 bytes per (query block,
// K/V block) pair it visits.
TEST(Flash1Released, SeqParallelBackwardAddsDqByAtomicsPerKvBlock) {
    const SimulationRequest req = fa1(Pass::bwd, 1, 16, 4096, 128);
    const Result r = simulate(req);
    const double n = 4096, d = 128, tc = n / 128;
    EXPECT_EQ(double(r.kernels[2].metrics.l2_write_bytes),
              16 * (tc * n * d * 4 + tc * 2 * 128 * d * 2));
}

TEST(Flash1Released, RefusesWhatTheReleasedKernelsRefuse) {
    const auto field_of = [](SimulationRequest req) {
        try {
            simulate(req);
        } catch (const ConfigError& e) {
            return e.field();
        }
        return std::string("none");
    };
    SimulationRequest req = fa1(Pass::fwd, 1, 4, 1024, 256);
    EXPECT_EQ(field_of(req), "head_dim");
    req = fa1(Pass::fwd, 1, 4, 1024, 64);
    req.problem.kv_heads = 2;
    EXPECT_EQ(field_of(req), "kv_heads");
    req = fa1(Pass::fwd, 1, 4, 1024, 64);
    req.problem.dtype = DType::fp32;
    EXPECT_EQ(field_of(req), "dtype");
    req = fa1(Pass::fwd, 1, 4, 1024, 64);
    req.tile = {64, 64, 4, 2};
    EXPECT_EQ(field_of(req), "block_m");
    req.tile = {16, 64, 4, 2};
    EXPECT_EQ(field_of(req), "block_n");
}

// Forward: Q, K, V, O, the fp32 logsumexp and o_tmp (fp32 rows); backward adds dO, dQ, dK, dV, D
// and dq_tmp.
TEST(Flash1Released, FootprintCountsTheFp32PartialBuffers) {
    SimulationRequest req = fa1(Pass::fwd, 1, 8, 4096, 64);
    const double rows = 8 * 4096, io = rows * 64 * 2;
    EXPECT_EQ(double(simulate(req).totals.hbm_footprint_bytes), 4 * io + rows * 4 + rows * 64 * 4);
    req.problem.pass = Pass::bwd;
    EXPECT_EQ(double(simulate(req).totals.hbm_footprint_bytes),
              8 * io + 2 * rows * 4 + rows * 64 * 4);
}

// Causal (top-left, N_q = N_k): K/V block j starts at query block 16 j (256 keys / 16 rows) and is
// the last block of the query blocks it covers on the diagonal, which write O there; the others
// rewrite their fp32 partials.
TEST(Flash1Released, CausalForwardStartsAtTheDiagonalAndWritesOThere) {
    SimulationRequest req = fa1(Pass::fwd, 2, 4, 1024, 64);
    req.problem.causal = true;
    const Result r = simulate(req);
    const double heads = 8, d = 64, e = 2, splits = double(r.kernels[0].ctas) / heads;
    double read = 0, write = 0;
    for (int j = 0; j < 4; ++j) {
        const double rows = 1024 - 256 * j, blocks = rows / 16, diagonal = 256;
        read += std::min(splits, blocks) * 2 * 256 * d * e + rows * d * e +
                (j > 0 ? rows * (d * 4 + 4) : 0);
        write += rows * 4 + diagonal * d * e + (rows - diagonal) * d * 4;
    }
    EXPECT_EQ(double(r.totals.hbm_read_bytes), heads * read);
    EXPECT_EQ(double(r.totals.hbm_write_bytes), heads * write);
}
