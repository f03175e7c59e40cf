// Every built kernel against a float64 reference: each output and gradient must be within 2x the
// error of the same-dtype naive path plus a tiny atol, with outputs poisoned (NaN) before each run.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <string>

#include "error_stats.hpp"
#include "flashscope/kernels/launch_plans.hpp"
#include "flashscope/kernels/registry.hpp"
#include "flashscope/kernels/workspace.hpp"
#include "reference.hpp"

namespace flashscope::test {
namespace {

using kernels::AttentionWorkspace;
using kernels::Tensor;

struct Case {
    std::int64_t batch, heads, kv_heads, seq_q, seq_k;
    bool causal;
};

std::string describe(const AttentionProblem& p) {
    std::ostringstream out;
    out << to_string(p.dtype) << " d=" << p.head_dim << " B=" << p.batch << " H=" << p.heads
        << " Hkv=" << p.kv_heads << " sq=" << p.seq_q << " sk=" << p.seq_k
        << (p.causal ? " causal" : "");
    return out.str();
}

std::string describe(const TileConfig& t) {
    std::ostringstream out;
    out << "tile " << t.block_m << "x" << t.block_n << " w" << t.warps << " s" << t.stages;
    return out.str();
}

void run_all(AttentionWorkspace& w, Algorithm algo, Pass pass, const TileConfig& tile,
             bool deterministic = false) {
    for (auto& launch : w.launches(algo, pass, tile, deterministic)) launch.run(nullptr);
    ASSERT_EQ(cudaDeviceSynchronize(), cudaSuccess);
}

struct Errors {
    double o = 0, dq = 0, dk = 0, dv = 0;
};

class KernelCorrectness : public ::testing::TestWithParam<std::tuple<DType, std::int64_t>> {
protected:
    void SetUp() override {
        if (!kernels::device_available()) GTEST_SKIP() << "no CUDA device";
    }
};

Errors measure(AttentionWorkspace& w, const ReferenceResult& ref, bool backward) {
    Errors e;
    e.o = max_abs_error(w.download(Tensor::o), ref.o);
    if (backward) {
        e.dq = max_abs_error(w.download(Tensor::dq), ref.dq);
        e.dk = max_abs_error(w.download(Tensor::dk), ref.dk);
        e.dv = max_abs_error(w.download(Tensor::dv), ref.dv);
    }
    return e;
}

TEST_P(KernelCorrectness, EveryBuiltTileMatchesReferenceWithinTwiceNaiveError) {
    const auto [dtype, head_dim] = GetParam();
    const std::vector<Case> cases = {
        {1, 2, 2, 1, 1, false},       {1, 2, 2, 17, 17, true},     {2, 2, 1, 97, 97, true},
        {1, 2, 2, 1000, 1000, false}, {1, 2, 2, 1023, 1023, true}, {1, 1, 1, 1025, 1025, false},
        {1, 4, 1, 97, 1025, true},    {1, 2, 2, 1025, 97, true},   {1, 2, 2, 17, 1000, false},
        {1, 4, 2, 200, 300, false},   {1, 2, 1, 1023, 1025, true},
    };
    // Every algorithm with CUDA kernels but the naive baseline, every pass its descriptor measures.
    struct Subject {
        Algorithm algorithm;
        Pass pass;
        std::vector<TileConfig> tiles;
    };
    std::vector<Subject> subjects;
    for (Algorithm a : all_algorithms()) {
        if (a == Algorithm::naive || !kernels::runs_on_current_device(a)) continue;
        for (Pass pass : {Pass::fwd, Pass::bwd})
            if (descriptor(a).measures(pass))
                subjects.push_back({a, pass, kernels::built_tiles(a, pass, dtype, head_dim)});
    }
    if (std::all_of(subjects.begin(), subjects.end(),
                    [](const Subject& s) { return s.tiles.empty(); }))
        GTEST_SKIP() << "nothing built for " << to_string(dtype) << " d=" << head_dim;

    for (const Case& c : cases) {
        AttentionProblem p;
        p.batch = c.batch;
        p.heads = c.heads;
        p.kv_heads = c.kv_heads;
        p.seq_q = c.seq_q;
        p.seq_k = c.seq_k;
        p.head_dim = head_dim;
        p.dtype = dtype;
        p.causal = c.causal;
        SCOPED_TRACE(describe(p));
        AttentionWorkspace w(p, 7);
        const ReferenceResult ref =
            reference_attention(p, w.download(Tensor::q), w.download(Tensor::k),
                                w.download(Tensor::v), w.download(Tensor::d_o));
        const double atol_o = 1e-4 + 1e-3 * max_abs(ref.o);
        const double atol_dq = 1e-4 + 1e-3 * max_abs(ref.dq);
        const double atol_dk = 1e-4 + 1e-3 * max_abs(ref.dk);
        const double atol_dv = 1e-4 + 1e-3 * max_abs(ref.dv);

        w.poison_outputs();
        run_all(w, Algorithm::naive, Pass::fwdbwd, {});
        const Errors naive = measure(w, ref, true);
        ASSERT_TRUE(std::isfinite(naive.o) && std::isfinite(naive.dq) && std::isfinite(naive.dk) &&
                    std::isfinite(naive.dv))
            << "naive left NaN or wrong infinities";

        // Worst ratio error / (2 * naive error + atol) per subject, printed as the correctness
        // matrix.
        auto ratio = [](double err, double naive_err, double atol) {
            return err / (2 * naive_err + atol);
        };
        auto check = [&](const Errors& e, bool backward, const std::string& what) {
            double r = ratio(e.o, naive.o, atol_o);
            EXPECT_LE(e.o, 2 * naive.o + atol_o) << what << " O (naive " << naive.o << ")";
            if (backward) {
                r = std::max({r, ratio(e.dq, naive.dq, atol_dq), ratio(e.dk, naive.dk, atol_dk),
                              ratio(e.dv, naive.dv, atol_dv)});
                EXPECT_LE(e.dq, 2 * naive.dq + atol_dq) << what << " dQ (naive " << naive.dq << ")";
                EXPECT_LE(e.dk, 2 * naive.dk + atol_dk) << what << " dK (naive " << naive.dk << ")";
                EXPECT_LE(e.dv, 2 * naive.dv + atol_dv) << what << " dV (naive " << naive.dv << ")";
            }
            return r;
        };

        std::string matrix;
        for (const Subject& s : subjects) {
            const bool backward = s.pass == Pass::bwd;
            const std::string name =
                std::string(to_string(s.algorithm)) + " " + std::string(to_string(s.pass));
            double worst = 0;
            for (const TileConfig& t : s.tiles) {
                w.poison_outputs();
                if (backward) run_all(w, s.algorithm, Pass::fwd, {});  // O and LSE for the backward
                run_all(w, s.algorithm, s.pass, t);
                const std::string what = name + " " + describe(t);
                worst = std::max(worst, check(measure(w, ref, backward), backward, what));
                if (!backward) {
                    EXPECT_LE(max_abs_error(w.download(Tensor::lse), ref.lse), 1e-3)
                        << what << " LSE";
                }
            }
            char cell[96];
            std::snprintf(cell, sizeof cell, " %s %.3f (%zu tiles)", name.c_str(), worst,
                          s.tiles.size());
            matrix += cell;
        }
        // Deterministic modes: right, and bitwise identical over two runs.
        for (Algorithm a : all_algorithms()) {
            if (!kernels::has_launch_plan(a) || !kernels::has_deterministic_mode(a) ||
                !descriptor(a).measures(Pass::bwd) ||
                kernels::built_tiles(a, Pass::bwd, dtype, head_dim).empty())
                continue;
            const std::string what = std::string(to_string(a)) + " deterministic bwd";
            w.poison_outputs();
            run_all(w, a, Pass::fwdbwd, {}, true);
            check(measure(w, ref, true), true, what);
            const auto dq1 = w.download(Tensor::dq), dk1 = w.download(Tensor::dk),
                       dv1 = w.download(Tensor::dv);
            w.poison_outputs();
            run_all(w, a, Pass::fwdbwd, {}, true);
            const auto dq2 = w.download(Tensor::dq), dk2 = w.download(Tensor::dk),
                       dv2 = w.download(Tensor::dv);
            const bool same_dq =
                std::memcmp(dq1.data(), dq2.data(), dq1.size() * sizeof(float)) == 0;
            const bool same_dk =
                std::memcmp(dk1.data(), dk2.data(), dk1.size() * sizeof(float)) == 0;
            const bool same_dv =
                std::memcmp(dv1.data(), dv2.data(), dv1.size() * sizeof(float)) == 0;
            EXPECT_TRUE(same_dq) << what << ": dQ differs between runs";
            EXPECT_TRUE(same_dk) << what << ": dK differs between runs";
            EXPECT_TRUE(same_dv) << what << ": dV differs between runs";
            matrix += " | " + what + " bitwise " + (same_dq && same_dk && same_dv ? "yes" : "NO");
        }
        std::printf("MATRIX %-48s naive err o=%.2e dq=%.2e dk=%.2e dv=%.2e | worst err/bound:%s\n",
                    describe(p).c_str(), naive.o, naive.dq, naive.dk, naive.dv, matrix.c_str());
    }
}

INSTANTIATE_TEST_SUITE_P(DtypesAndHeadDims, KernelCorrectness,
                         ::testing::Combine(::testing::Values(DType::bf16, DType::fp16),
                                            ::testing::Values(64, 128, 256)),
                         [](const auto& param_info) {
                             return std::string(to_string(std::get<0>(param_info.param))) + "_d" +
                                    std::to_string(std::get<1>(param_info.param));
                         });

TEST(KernelWorkspace, UnbuiltHeadDimNamesNearestTiles) {
    if (!kernels::device_available()) GTEST_SKIP() << "no CUDA device";
    AttentionProblem p;
    p.batch = 1;
    p.heads = 1;
    p.kv_heads = 1;
    p.seq_q = p.seq_k = 64;
    p.head_dim = 96;
    AttentionWorkspace w(p);
    try {
        w.launches(Algorithm::flash2, Pass::fwd, {});
        FAIL() << "expected NotBuiltError";
    } catch (const kernels::NotBuiltError& e) {
        EXPECT_NE(std::string(e.what()).find("d=96"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("nearest"), std::string::npos) << e.what();
    }
    // naive takes any head dimension.
    EXPECT_NO_THROW(w.launches(Algorithm::naive, Pass::fwdbwd, {}));
}

TEST(KernelWorkspace, LaunchNamesFollowTheSimulatorsVocabulary) {
    if (!kernels::device_available()) GTEST_SKIP() << "no CUDA device";
    AttentionProblem p;
    p.batch = 1;
    p.heads = 4;
    p.kv_heads = 2;
    p.seq_q = p.seq_k = 128;
    p.head_dim = 128;
    AttentionWorkspace w(p);
    auto names = [&](Algorithm a, Pass pass) {
        std::vector<std::string> out;
        for (auto& l : w.launches(a, pass, {})) out.push_back(l.name);
        return out;
    };
    using V = std::vector<std::string>;
    EXPECT_EQ(names(Algorithm::naive, Pass::fwd), (V{"naive_qk", "naive_softmax", "naive_pv"}));
    EXPECT_EQ(names(Algorithm::naive, Pass::bwd), (V{"naive_dv", "naive_dp", "naive_softmax_bwd",
                                                     "naive_dq", "naive_dk", "naive_dkv_reduce"}));
    EXPECT_EQ(names(Algorithm::flash1, Pass::fwd), (V{"flash1_fwd"}));
    EXPECT_EQ(names(Algorithm::flash2, Pass::fwdbwd),
              (V{"flash2_fwd", "flash2_bwd_preprocess", "flash2_bwd", "flash2_bwd_convert_dq",
                 "flash2_bwd_dkv_reduce"}));
    EXPECT_GT(w.device_bytes(), 0);
    // The same names as the plans give without a device.
    for (Algorithm a : {Algorithm::naive, Algorithm::flash2})
        EXPECT_EQ(names(a, Pass::fwdbwd), kernels::planned_kernel_names(p, a, Pass::fwdbwd))
            << to_string(a);
}

TEST(KernelWorkspace, RepeatedLaunchListsAllocateNothingMore) {
    if (!kernels::device_available()) GTEST_SKIP() << "no CUDA device";
    AttentionProblem p;
    p.batch = 1;
    p.heads = 4;
    p.kv_heads = 2;
    p.seq_q = p.seq_k = 256;
    p.head_dim = 128;
    AttentionWorkspace w(p);
    auto build_all = [&] {
        for (Algorithm a : all_algorithms())
            if (kernels::has_launch_plan(a))
                for (Pass pass : {Pass::fwd, Pass::bwd})
                    if (descriptor(a).measures(pass)) w.launches(a, pass, {});
    };
    build_all();
    const std::int64_t bytes = w.device_bytes();
    build_all();
    build_all();
    EXPECT_EQ(w.device_bytes(), bytes) << "launch lists allocate once per workspace";
}

TEST(KernelWorkspace, BackwardAloneRefusesATileBuiltOnlyForward) {
    if (!kernels::device_available()) GTEST_SKIP() << "no CUDA device";
    const auto fwd = kernels::built_tiles(Algorithm::flash2, Pass::fwd, DType::bf16, 128);
    const auto bwd = kernels::built_tiles(Algorithm::flash2, Pass::bwd, DType::bf16, 128);
    const auto only_fwd = std::find_if(fwd.begin(), fwd.end(), [&](const TileConfig& t) {
        return std::find(bwd.begin(), bwd.end(), t) == bwd.end();
    });
    if (only_fwd == fwd.end()) GTEST_SKIP() << "every forward tile is built backward too";
    AttentionProblem p;
    p.batch = 1;
    p.heads = 2;
    p.kv_heads = 2;
    p.seq_q = p.seq_k = 128;
    p.head_dim = 128;
    AttentionWorkspace w(p);
    EXPECT_THROW(w.launches(Algorithm::flash2, Pass::bwd, *only_fwd), kernels::NotBuiltError);
    // fwdbwd: the tile names the forward kernel; the backward takes its default.
    EXPECT_NO_THROW(w.launches(Algorithm::flash2, Pass::fwdbwd, *only_fwd));
}

}  // namespace
}  // namespace flashscope::test
