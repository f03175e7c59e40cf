// Every kernel on inputs at the edges, against the float64 reference (reference.cpp), with the
// conventions of docs/KERNELS.md, which are PyTorch's (scaled_dot_product_attention >= 2.5 and its
// FlashAttention backend):
//  - a query row that sees no key (causal, seq_q > seq_k, bottom-right aligned: the first
//    seq_q - seq_k rows) gets O = 0 exactly, LSE = +inf and dQ = 0 exactly;
//  - NaN and Inf propagate as IEEE arithmetic takes them through the math a row sees: a NaN in
//    Q's row i makes O's row i NaN, a NaN in K's row j every row that sees key j, a NaN in V[j, c]
//    column c of those rows; an infinite score makes its row NaN (+inf) or drops the key (-inf);
//  - huge softmax scales give finite outputs: softmax is a convex combination at any scale.
// Causal masks hide keys entirely only in the forward pass; a kernel computes whole tiles, so the
// NaN tests that check gradients use non-causal problems (where every key is seen). dV is not
// checked when Q or K holds a NaN: IEEE math makes it NaN, but a backward pass that recomputes P
// from the forward's LSE (+inf for a NaN row, as in FlashAttention) leaves most of it finite.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>
#include <string>

#include "flashscope/core/error.hpp"
#include "flashscope/kernels/launch_plans.hpp"
#include "flashscope/kernels/registry.hpp"
#include "flashscope/kernels/workspace.hpp"
#include "reference.hpp"

namespace flashscope::test {
namespace {

using kernels::AttentionWorkspace;
using kernels::Tensor;

// One way to compute attention: naive, or a flash kernel with one built tile.
struct KernelRun {
    std::string what;
    Algorithm algorithm;
    TileConfig tile;  // naive: unused; backward runs: the backward tile
    bool backward;
    bool deterministic;
    bool writes_lse;
};

std::string tile_name(const TileConfig& t) {
    std::ostringstream out;
    out << t.block_m << "x" << t.block_n << " w" << t.warps << " s" << t.stages;
    return out.str();
}

std::vector<KernelRun> runs_of(DType dtype, std::int64_t d, bool backward) {
    std::vector<KernelRun> runs{{"naive", Algorithm::naive, {}, backward, false, false}};
    if (!backward) {
        for (const auto& t : kernels::built_tiles(Algorithm::flash1, Pass::fwd, dtype, d))
            runs.push_back({"flash1 " + tile_name(t), Algorithm::flash1, t, false, false, true});
        for (const auto& t : kernels::built_tiles(Algorithm::flash2, Pass::fwd, dtype, d))
            runs.push_back({"flash2 " + tile_name(t), Algorithm::flash2, t, false, false, true});
        const Algorithm flash3 = parse_algorithm("flash3");
        if (kernels::runs_on_current_device(flash3))
            for (const auto& t : kernels::built_tiles(flash3, Pass::fwd, dtype, d))
                runs.push_back({"flash3 " + tile_name(t), flash3, t, false, false, true});
        return runs;
    }
    for (const auto& t : kernels::built_tiles(Algorithm::flash2, Pass::bwd, dtype, d))
        runs.push_back({"flash2 bwd " + tile_name(t), Algorithm::flash2, t, true, false, true});
    runs.push_back({"flash2 deterministic bwd", Algorithm::flash2, {}, true, true, true});
    const Algorithm flash3 = parse_algorithm("flash3");
    if (kernels::runs_on_current_device(flash3)) {
        const auto tiles = kernels::built_tiles(flash3, Pass::bwd, dtype, d);
        for (const auto& t : tiles)
            runs.push_back({"flash3 bwd " + tile_name(t), flash3, t, true, false, true});
        if (!tiles.empty())
            runs.push_back({"flash3 deterministic bwd", flash3, {}, true, true, true});
    }
    return runs;
}

void execute(AttentionWorkspace& w, const KernelRun& run) {
    w.poison_outputs();
    const auto go = [&](Pass pass, const TileConfig& tile, bool deterministic) {
        for (auto& launch : w.launches(run.algorithm, pass, tile, deterministic))
            launch.run(nullptr);
    };
    if (run.algorithm == Algorithm::naive) {
        go(run.backward ? Pass::fwdbwd : Pass::fwd, {}, false);
    } else if (run.backward) {
        go(Pass::fwd, {}, false);
        go(Pass::bwd, run.tile, run.deterministic);
    } else {
        go(Pass::fwd, run.tile, false);
    }
    ASSERT_EQ(cudaDeviceSynchronize(), cudaSuccess) << run.what;
}

AttentionProblem problem(DType dtype, std::int64_t d, std::int64_t heads, std::int64_t kv_heads,
                         std::int64_t seq_q, std::int64_t seq_k, bool causal, double scale = 0) {
    AttentionProblem p;
    p.batch = 1;
    p.heads = heads;
    p.kv_heads = kv_heads;
    p.seq_q = seq_q;
    p.seq_k = seq_k;
    p.head_dim = d;
    p.dtype = dtype;
    p.causal = causal;
    p.softmax_scale = scale;
    return p;
}

ReferenceResult reference_of(const AttentionProblem& p, const AttentionWorkspace& w) {
    return reference_attention(p, w.download(Tensor::q), w.download(Tensor::k),
                               w.download(Tensor::v), w.download(Tensor::d_o));
}

// Element by element: NaN where the reference is NaN, the same infinity where it is infinite, and
// elsewhere a finite value within `tolerance`. Returns "" or the first disagreement.
std::string disagreement(const std::vector<float>& got, const std::vector<double>& want,
                         double tolerance) {
    if (got.size() != want.size())
        return "size " + std::to_string(got.size()) + " vs " + std::to_string(want.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
        const double g = got[i], r = want[i];
        const bool ok = std::isnan(r)   ? std::isnan(g)
                        : std::isinf(r) ? g == r
                                        : std::isfinite(g) && std::abs(g - r) <= tolerance;
        if (!ok) {
            std::ostringstream out;
            out << "element " << i << ": got " << g << ", want " << r << " (tolerance " << tolerance
                << ")";
            return out.str();
        }
    }
    return "";
}

double max_finite_abs(const std::vector<double>& values) {
    double m = 0;
    for (double v : values)
        if (std::isfinite(v)) m = std::max(m, std::abs(v));
    return m;
}

// Output rounding (bf16: 2^-8 relative) and fp32 accumulation over a few hundred keys: 2% of the
// largest value, as in the correctness test's reach; the exact-zero and NaN checks carry the
// weight.
double tolerance_for(const std::vector<double>& reference) {
    return 1e-3 + 2e-2 * max_finite_abs(reference);
}

class KernelEdgeCases : public ::testing::TestWithParam<std::tuple<DType, std::int64_t>> {
protected:
    void SetUp() override {
        if (!kernels::device_available()) GTEST_SKIP() << "no CUDA device";
        const auto [dtype, d] = GetParam();
        if (kernels::built_tiles(Algorithm::flash2, Pass::fwd, dtype, d).empty())
            GTEST_SKIP() << "no flash2 kernel built for " << to_string(dtype) << " d=" << d
                         << " (FLASHSCOPE_KERNEL_SET=ci builds bf16 d=128 and fp16 d=64)";
    }
    DType dtype() const { return std::get<0>(GetParam()); }
    std::int64_t head_dim() const { return std::get<1>(GetParam()); }
};

TEST_P(KernelEdgeCases, RowsThatSeeNoKeyGetZeroOutputInfiniteLseAndZeroGradient) {
    struct Shape {
        std::int64_t heads, kv_heads, seq_q, seq_k;
    };
    // Whole empty query blocks and partial ones; a single key; GQA.
    for (const Shape s : {Shape{2, 1, 200, 64}, Shape{2, 2, 1025, 97}, Shape{1, 1, 130, 1}}) {
        const AttentionProblem p =
            problem(dtype(), head_dim(), s.heads, s.kv_heads, s.seq_q, s.seq_k, true);
        SCOPED_TRACE(std::to_string(s.seq_q) + "x" + std::to_string(s.seq_k));
        AttentionWorkspace w(p, 11);
        const ReferenceResult ref = reference_of(p, w);
        const std::int64_t empty_rows = s.seq_q - s.seq_k, d = head_dim();
        for (const bool backward : {false, true}) {
            for (const KernelRun& run : runs_of(dtype(), d, backward)) {
                SCOPED_TRACE(run.what);
                ASSERT_NO_FATAL_FAILURE(execute(w, run));
                const auto o = w.download(Tensor::o);
                const auto lse = w.download(Tensor::lse);
                const auto dq = w.download(Tensor::dq);
                for (std::int64_t bh = 0; bh < s.heads; ++bh)
                    for (std::int64_t i = 0; i < empty_rows; ++i) {
                        const std::size_t row = static_cast<std::size_t>(bh * s.seq_q + i);
                        if (run.writes_lse) {
                            EXPECT_EQ(lse[row], std::numeric_limits<float>::infinity())
                                << "row " << i;
                        }
                        for (std::int64_t c = 0; c < d; ++c) {
                            ASSERT_EQ(o[row * d + c], 0.f) << "O row " << i << " col " << c;
                            if (backward) {
                                ASSERT_EQ(dq[row * d + c], 0.f) << "dQ row " << i << " col " << c;
                            }
                        }
                    }
                // The rows that see keys, and the gradients of K and V, as the reference says.
                EXPECT_EQ(disagreement(o, ref.o, tolerance_for(ref.o)), "");
                if (backward) {
                    EXPECT_EQ(disagreement(dq, ref.dq, tolerance_for(ref.dq)), "");
                    EXPECT_EQ(disagreement(w.download(Tensor::dk), ref.dk, tolerance_for(ref.dk)),
                              "");
                    EXPECT_EQ(disagreement(w.download(Tensor::dv), ref.dv, tolerance_for(ref.dv)),
                              "");
                }
            }
        }
    }
}

// One planted value, the outputs whose NaN pattern and values the reference decides.
struct Planted {
    const char* name;
    Tensor tensor;
    float value;
    bool causal;
    bool check_dq, check_dk, check_dv;
};

TEST_P(KernelEdgeCases, NanAndInfInInputsPropagateAsIeeeMathDoes) {
    const float nan = std::numeric_limits<float>::quiet_NaN(),
                inf = std::numeric_limits<float>::infinity();
    const Planted cases[] = {
        {"NaN in Q", Tensor::q, nan, false, true, true, false},
        {"NaN in Q, causal", Tensor::q, nan, true, false, false,
         false},  // forward only: see header
        {"NaN in K", Tensor::k, nan, false, true, true, false},
        {"NaN in V", Tensor::v, nan, false, true, true, true},
        {"+inf in K", Tensor::k, inf, false, false, false, false},  // rows split by sign(Q[i, c])
        {"-inf in V", Tensor::v, -inf, false, false, false, false},
    };
    for (const Planted& c : cases) {
        SCOPED_TRACE(c.name);
        // GQA: two query heads share K/V head 0; head 2 reads K/V head 1 and stays clean.
        const AttentionProblem p = problem(dtype(), head_dim(), 4, 2, 100, 100, c.causal);
        AttentionWorkspace w(p, 5);
        const bool on_q = c.tensor == Tensor::q;
        // Q: head 1, row 37; K/V: head 0, key 41; column 3.
        w.set_input(c.tensor, 0, on_q ? 1 : 0, on_q ? 37 : 41, 3, c.value);
        const ReferenceResult ref = reference_of(p, w);
        const bool any_gradient = c.check_dq || c.check_dk || c.check_dv;
        for (const bool backward : {false, true}) {
            if (backward && !any_gradient) continue;
            for (const KernelRun& run : runs_of(dtype(), head_dim(), backward)) {
                SCOPED_TRACE(run.what);
                ASSERT_NO_FATAL_FAILURE(execute(w, run));
                EXPECT_EQ(disagreement(w.download(Tensor::o), ref.o, tolerance_for(ref.o)), "")
                    << "O";
                if (run.writes_lse) {
                    // A NaN row's LSE is NaN or +inf (FlashAttention writes +inf); others as the
                    // reference.
                    const auto lse = w.download(Tensor::lse);
                    for (std::size_t i = 0; i < lse.size(); ++i) {
                        if (std::isnan(ref.lse[i]))
                            EXPECT_FALSE(std::isfinite(lse[i])) << "LSE row " << i;
                        else
                            EXPECT_NEAR(lse[i], ref.lse[i], 1e-3 + 1e-3 * std::abs(ref.lse[i]))
                                << "LSE row " << i;
                    }
                }
                if (!backward) continue;
                const auto check = [&](bool wanted, Tensor t, const std::vector<double>& want,
                                       const char* name) {
                    if (!wanted) return;
                    EXPECT_EQ(disagreement(w.download(t), want, tolerance_for(want)), "") << name;
                };
                check(c.check_dq, Tensor::dq, ref.dq, "dQ");
                check(c.check_dk, Tensor::dk, ref.dk, "dK");
                check(c.check_dv, Tensor::dv, ref.dv, "dV");
            }
        }
        // The planted value must have reached something, or this case tests nothing.
        EXPECT_TRUE(std::any_of(ref.o.begin(), ref.o.end(), [](double v) {
            return !std::isfinite(v);
        })) << c.name;
    }
}

// Per query row of the float64 scores: the visible key with the largest score and its lead over
// the runner-up. Rows with a clear lead are one-hot at a huge scale, whatever the rounding.
struct Leader {
    std::int64_t key = -1;
    double lead = 0;
};
std::vector<Leader> leaders(const AttentionProblem& p, const std::vector<float>& q,
                            const std::vector<float>& k) {
    const std::int64_t d = p.head_dim;
    std::vector<Leader> out;
    for (std::int64_t h = 0; h < p.batch * p.heads; ++h) {
        const std::int64_t b = h / p.heads, kvh = b * p.kv_heads + h % p.heads / p.group_size();
        for (std::int64_t i = 0; i < p.seq_q; ++i) {
            const std::int64_t visible =
                p.causal ? std::clamp<std::int64_t>(i + p.seq_k - p.seq_q + 1, 0, p.seq_k)
                         : p.seq_k;
            double best = -INFINITY, second = -INFINITY;
            Leader l;
            for (std::int64_t j = 0; j < visible; ++j) {
                double s = 0;
                for (std::int64_t c = 0; c < d; ++c)
                    s += double(q[static_cast<std::size_t>((h * p.seq_q + i) * d + c)]) *
                         double(k[static_cast<std::size_t>((kvh * p.seq_k + j) * d + c)]);
                if (s > best) {
                    second = best;
                    best = s;
                    l.key = j;
                } else {
                    second = std::max(second, s);
                }
            }
            l.lead = best - second;
            out.push_back(l);
        }
    }
    return out;
}

TEST_P(KernelEdgeCases, HugeSoftmaxScalesGiveFiniteOutputs) {
    const AttentionProblem base = problem(dtype(), head_dim(), 2, 1, 200, 300, true);
    const std::int64_t d = head_dim();
    for (const double scale : {1e3, 1e6, 1e9, 1e30}) {
        SCOPED_TRACE("softmax scale " + std::to_string(scale));
        AttentionProblem p = base;
        p.softmax_scale = scale;
        AttentionWorkspace w(p, 3);
        const auto q = w.download(Tensor::q), k = w.download(Tensor::k), v = w.download(Tensor::v);
        const ReferenceResult ref = reference_attention(p, q, k, v, w.download(Tensor::d_o));
        const auto lead = leaders(p, q, k);
        // Gradients are checked where their size fits the dtype: the rounding of dP, amplified by
        // the scale, exceeds fp16's 65504 beyond scale ~1e3 (the math is ~0 there, the arithmetic
        // not).
        const bool backward_fits = dtype() == DType::bf16 || scale <= 1e3;
        for (const bool backward : {false, true}) {
            if (backward && !backward_fits) continue;
            for (const KernelRun& run : runs_of(dtype(), d, backward)) {
                SCOPED_TRACE(run.what);
                ASSERT_NO_FATAL_FAILURE(execute(w, run));
                const auto o = w.download(Tensor::o);
                std::int64_t one_hot_rows = 0;
                for (std::int64_t h = 0; h < p.heads; ++h)
                    for (std::int64_t i = 0; i < p.seq_q; ++i) {
                        const std::size_t row = static_cast<std::size_t>(h * p.seq_q + i);
                        const Leader& l = lead[row];
                        // A clear leader (far beyond bf16 rounding of the scores) gets all the
                        // weight.
                        const bool one_hot = l.lead > 0.25 && l.lead * scale > 60;
                        one_hot_rows += one_hot;
                        for (std::int64_t c = 0; c < d; ++c) {
                            const float got = o[row * d + c];
                            ASSERT_TRUE(std::isfinite(got)) << "O row " << i << " col " << c;
                            // Any softmax weighting is a convex combination of V's rows: |O| <=
                            // max|V| = 1.
                            ASSERT_LE(std::abs(got), 1.0f + 1e-2f) << "O row " << i << " col " << c;
                            if (one_hot) {
                                const std::int64_t kv_head = h / p.group_size();  // batch 1
                                const double want = v[static_cast<std::size_t>(
                                    (kv_head * p.seq_k + l.key) * d + c)];
                                ASSERT_NEAR(got, want, 1e-2) << "O row " << i << " col " << c;
                                ASSERT_NEAR(got, ref.o[row * d + c], 1e-2)
                                    << "O row " << i << " col " << c;
                            }
                        }
                    }
                EXPECT_GT(one_hot_rows, p.heads * p.seq_q / 4)
                    << "too few clear rows to check values";
                if (run.writes_lse) {
                    const auto lse = w.download(Tensor::lse);
                    for (std::size_t i = 0; i < lse.size(); ++i)
                        ASSERT_NEAR(lse[i], ref.lse[i], 1e-3 + 1e-4 * std::abs(ref.lse[i]))
                            << "LSE row " << i;
                }
                if (!backward) continue;
                for (const Tensor t : {Tensor::dq, Tensor::dk, Tensor::dv}) {
                    const auto g = w.download(t);
                    const auto bad =
                        std::find_if(g.begin(), g.end(), [](float x) { return !std::isfinite(x); });
                    EXPECT_EQ(bad, g.end())
                        << "gradient " << static_cast<int>(t) << " element " << (bad - g.begin());
                }
            }
        }
    }
}

TEST(KernelWorkspace, RefusesASoftmaxScaleBeyondFp32) {
    if (!kernels::device_available()) GTEST_SKIP() << "no CUDA device";
    AttentionProblem p = problem(DType::bf16, 128, 1, 1, 16, 16, false, 1e39);
    try {
        AttentionWorkspace w(p);
        FAIL() << "expected ConfigError";
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("softmax_scale"), std::string::npos) << e.what();
    }
}

INSTANTIATE_TEST_SUITE_P(DtypesAndHeadDims, KernelEdgeCases,
                         ::testing::Combine(::testing::Values(DType::bf16, DType::fp16),
                                            ::testing::Values(64, 128)),
                         [](const auto& param_info) {
                             return std::string(to_string(std::get<0>(param_info.param))) + "_d" +
                                    std::to_string(std::get<1>(param_info.param));
                         });

}  // namespace
}  // namespace flashscope::test
