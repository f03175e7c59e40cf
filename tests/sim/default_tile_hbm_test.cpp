// FlashAttention's point: at its default tiles it moves less HBM traffic than naive attention.
// Checked for every preset, head dims 64, 128, 256 and sequences 512..131072 (powers of two).
//
// Models: the cycle model (with its L2) where it runs fast. Up to 16k tokens every comparison
// uses batch 1 x 16 heads. From 32k, flash2 and naive run one head in the cycle model (flash2's
// query or key blocks of one head already fill every SM), and flash1, whose parallelism is one
// CTA per head, runs 16 heads in the analytic model against naive in the analytic model (no L2
// on either side: an upper bound for flash1's re-reads of Q and O; the cycle model at 131k takes
// 20 s per run).
//
// flash1 is checked at head dims 64 and 128 only. Its schedule (Dao et al. 2022, Algorithm 1, with
// the kernels' fp32 running output) re-reads Q and re-reads and re-writes O, l, m once per key
// block: about (10d + 16) / Bc bytes per score element in the forward against naive's 8 (S and P
// written and read in 16-bit), so it needs Bc > 1.25 d + 2: 82 at d = 64, 162 at d = 128 (the
// default key blocks are 256 and, at d = 128, what shared memory holds: 192 or 256), and 322 at
// d = 256, more than any tile holds (FlashAttention v1 shipped no kernel past d = 128).
#include <gtest/gtest.h>

#include "sim_test_support.hpp"

using namespace flashscope;
using namespace flashscope::sim;
using namespace flashscope::sim::testing;

namespace {

Result run(Algorithm algo, const char* gpu, std::int64_t d, Pass pass, std::int64_t seq,
           std::int64_t heads, Model model) {
    SimulationRequest req = request(algo, model, gpu);
    req.problem.batch = 1;
    req.problem.heads = req.problem.kv_heads = heads;
    req.problem.seq_q = req.problem.seq_k = seq;
    req.problem.head_dim = d;
    req.problem.pass = pass;
    req.tile = {};  // the defaults under test
    return simulate(req);
}

constexpr std::int64_t k_cycle_heads_up_to = 16384;

}  // namespace

// One test per preset, so that ctest runs them side by side.
class DefaultTiles : public ::testing::TestWithParam<std::string> {};

TEST_P(DefaultTiles, FlashMovesNoMoreHbmThanNaive) {
    const std::string& name = GetParam();
    for (std::int64_t d : {64, 128, 256})
        for (Pass pass : {Pass::fwd, Pass::bwd})
            for (std::int64_t seq = 512; seq <= 131072; seq *= 2) {
                const bool short_seq = seq <= k_cycle_heads_up_to;
                const std::int64_t heads = short_seq ? 16 : 1;
                const char* gpu = name.c_str();
                const Result naive = run(Algorithm::naive, gpu, d, pass, seq, heads, Model::cycle);
                const Result flash2 =
                    run(Algorithm::flash2, gpu, d, pass, seq, heads, Model::cycle);
                EXPECT_LE(hbm_bytes(flash2), hbm_bytes(naive))
                    << "flash2 " << name << " d" << d << " " << to_string(pass) << " seq " << seq
                    << " tile " << to_string(flash2.tile);
                if (d > 128) continue;  // see above
                const Model m = short_seq ? Model::cycle : Model::analytic;
                const Result naive16 =
                    short_seq ? naive : run(Algorithm::naive, gpu, d, pass, seq, 16, m);
                const Result flash1 = run(Algorithm::flash1, gpu, d, pass, seq, 16, m);
                EXPECT_LE(hbm_bytes(flash1), hbm_bytes(naive16))
                    << "flash1 " << name << " d" << d << " " << to_string(pass) << " seq " << seq
                    << " tile " << to_string(flash1.tile);
            }
}

INSTANTIATE_TEST_SUITE_P(EveryPreset, DefaultTiles, ::testing::ValuesIn(gpu_preset_names()),
                         [](const auto& preset) {
                             std::string n = preset.param;
                             for (char& c : n)
                                 if (c == '-') c = '_';
                             return n;
                         });
