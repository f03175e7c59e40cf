// naive_eager against PyTorch's eager autograd of softmax(q @ k.transpose(-2, -1) * scale) @ v:
// the kernels it launches, what each moves, and the tensors alive at its peak (docs/MODEL.md,
// "naive, eager").
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "sim_test_support.hpp"

using namespace flashscope;
using namespace flashscope::sim;
using namespace flashscope::sim::testing;

namespace {

SimulationRequest eager(Pass pass = Pass::fwdbwd) {
    SimulationRequest req = request(Algorithm::naive);
    req.options.naive_eager = true;
    req.problem.pass = pass;
    return req;
}

std::vector<std::string> names_of(const Result& r) {
    std::vector<std::string> names;
    for (const auto& k : r.kernels) names.push_back(k.name);
    return names;
}

const KernelResult& kernel(const Result& r, const std::string& name) {
    const auto it = std::find_if(r.kernels.begin(), r.kernels.end(),
                                 [&](const KernelResult& k) { return k.name == name; });
    if (it == r.kernels.end()) throw std::runtime_error("no kernel " + name);
    return *it;
}

// Bytes of one N x N matrix over all heads, and of one (seq, head_dim) tensor over all heads.
double nn_of(const SimulationRequest& r) {
    const auto& p = r.problem;
    return double(p.batch) * double(p.heads) * double(p.seq_q) * double(p.seq_k) *
           double(bytes_of(p.dtype));
}
double rows_of(const SimulationRequest& r, std::int64_t heads, std::int64_t seq) {
    return double(r.problem.batch) * double(heads) * double(seq) * double(r.problem.head_dim) *
           double(bytes_of(r.problem.dtype));
}

}  // namespace

TEST(NaiveEager, LaunchesTheKernelsOfPyTorchsAutogradInOrder) {
    EXPECT_EQ(names_of(simulate(eager())),
              (std::vector<std::string>{"naive_qk", "naive_scale", "naive_softmax", "naive_pv",
                                        "naive_dv", "naive_dp", "naive_softmax_bwd_mul",
                                        "naive_softmax_bwd", "naive_scale_bwd", "naive_dk",
                                        "naive_dq", "naive_dk_transpose"}));
    SimulationRequest req = eager(Pass::fwd);
    req.problem.causal = true;
    req.problem.dropout = 0.1;
    EXPECT_EQ(names_of(simulate(req)),
              (std::vector<std::string>{"naive_qk", "naive_scale", "naive_mask", "naive_softmax",
                                        "naive_dropout", "naive_pv"}));
    req = eager(Pass::bwd);
    req.problem.kv_heads = 2;
    EXPECT_EQ(names_of(simulate(req)).back(), "naive_dkv_reduce");
}

TEST(NaiveEager, ElementwiseKernelsMoveEachOperandOnceOutOfPlace) {
    const SimulationRequest req = eager();
    const Result r = simulate(req);
    const double nn = nn_of(req);
    for (const char* name : {"naive_scale", "naive_scale_bwd"}) {
        EXPECT_EQ(double(kernel(r, name).metrics.hbm_read_bytes), nn) << name;
        EXPECT_EQ(double(kernel(r, name).metrics.hbm_write_bytes), nn) << name;
    }
    EXPECT_EQ(double(kernel(r, "naive_softmax_bwd_mul").metrics.hbm_read_bytes), 2 * nn);
    EXPECT_EQ(double(kernel(r, "naive_softmax_bwd_mul").metrics.hbm_write_bytes), nn);
    // the QK^T GEMM has no scale epilogue in eager mode: the fp32 work is the scale kernel's
    EXPECT_EQ(kernel(r, "naive_qk").metrics.flops_softmax, 0.0);
    EXPECT_EQ(kernel(r, "naive_scale").metrics.flops_softmax,
              nn / double(bytes_of(req.problem.dtype)));
    const double dk = rows_of(req, req.problem.heads, req.problem.seq_k);
    EXPECT_EQ(double(kernel(r, "naive_dk_transpose").metrics.hbm_read_bytes), dk);
    EXPECT_EQ(double(kernel(r, "naive_dk_transpose").metrics.hbm_write_bytes), dk);
}

// SoftMax.cu: rows of <= 1024 elements and <= 4096 bytes take the persistent warp kernels (one
// read); longer rows that fit 48 KiB of shared memory are read once by the forward; longer still,
// the forward reads the row three times (max, sum, write) and the backward reads dP * P twice.
TEST(NaiveEager, SoftmaxReadsFollowPyTorchsThreePaths) {
    struct Case {
        std::int64_t seq_k;
        DType dtype;
        double fwd_reads, bwd_reads;  // in N x N matrices
    };
    // 1025 bf16 would fit shared memory but is not a multiple of the 8-element vector
    for (const Case& c : {Case{1024, DType::bf16, 1, 2}, Case{1024, DType::fp32, 1, 2},
                          Case{1025, DType::bf16, 3, 3}, Case{8192, DType::bf16, 1, 3},
                          Case{16384, DType::fp32, 3, 3}, Case{32768, DType::fp16, 3, 3}}) {
        SimulationRequest req = eager();
        req.problem.batch = req.problem.heads = req.problem.kv_heads = 1;
        req.problem.seq_q = 64;
        req.problem.seq_k = c.seq_k;
        req.problem.dtype = c.dtype;
        const Result r = simulate(req);
        const double nn = nn_of(req);
        SCOPED_TRACE(std::to_string(c.seq_k) + " " + std::string(to_string(c.dtype)));
        EXPECT_EQ(double(kernel(r, "naive_softmax").metrics.hbm_read_bytes), c.fwd_reads * nn);
        EXPECT_EQ(double(kernel(r, "naive_softmax").metrics.hbm_write_bytes), nn);
        EXPECT_EQ(double(kernel(r, "naive_softmax_bwd").metrics.hbm_read_bytes), c.bwd_reads * nn);
        EXPECT_EQ(double(kernel(r, "naive_softmax_bwd").metrics.hbm_write_bytes), nn);
    }
}

// The peak, recounted here from the list of tensors alive during softmax_bwd (the peak while
// N x N terms dominate): q, k, v; O and dO held by the caller; dV (already produced); P saved by
// autograd; dP; tmp = dP * P; the gradient being written.
TEST(NaiveEager, FootprintIsTheTensorsAliveDuringSoftmaxBackward) {
    SimulationRequest req = eager();
    req.problem.batch = 1;
    req.problem.heads = req.problem.kv_heads = 32;
    req.problem.seq_q = req.problem.seq_k = 16384;
    req.problem.head_dim = 128;
    req.problem.dtype = DType::fp16;
    req.tile = {128, 128, 8, 2};
    const double q = rows_of(req, 32, 16384), nn = nn_of(req);
    const double alive = 3 * q /* q k v */ + 2 * q /* O dO */ + q /* dV */ + 4 * nn;
    const Result r = simulate(req);
    EXPECT_EQ(double(r.totals.hbm_footprint_bytes), alive);
    // forward alone: S and scale * S (then scale * S and P), never three
    req.problem.pass = Pass::fwd;
    EXPECT_EQ(double(simulate(req).totals.hbm_footprint_bytes), 3 * q + 2 * nn);
    // kernels/' fused naive keeps three N x N matrices at its peak (P, dP, dS)
    req.problem.pass = Pass::fwdbwd;
    req.options.naive_eager = false;
    EXPECT_LT(double(simulate(req).totals.hbm_footprint_bytes), 3.1 * nn);
}

// With GQA the per-query-head dK^T, dK copy and dV are larger than K and V; the tail of the
// backward pass then holds dQ, dV, dK and the reduced dK, dV beside the inputs.
TEST(NaiveEager, FootprintCountsPerQueryHeadGradientsWhenTheyDominate) {
    SimulationRequest req = eager(Pass::bwd);
    req.problem.batch = 1;
    req.problem.heads = 8;
    req.problem.kv_heads = 1;
    req.problem.seq_q = 16;  // N x N terms small beside (seq, head_dim) ones
    req.problem.seq_k = 4096;
    req.problem.head_dim = 256;
    req.tile = {16, 64, 8, 1};
    const double nn = nn_of(req);
    const double q = rows_of(req, 8, 16), kv = rows_of(req, 1, 4096);
    const double per_head = rows_of(req, 8, 4096);  // dV, dK^T or dK per query head
    const double base = q + 2 * kv + q + q;         // q k v, O, dO
    const double candidates[] = {
        base + per_head + nn + per_head + q,        // dq: dV, dS, dK^T, dQ
        base + per_head + per_head + q + per_head,  // dk_transpose: dV, dK^T, dQ, dK
        base + per_head + q + per_head + 2 * kv,    // dkv_reduce: dV, dQ, dK, reduced dK dV
        base + per_head + 4 * nn,                   // softmax_bwd
    };
    EXPECT_EQ(double(simulate(req).totals.hbm_footprint_bytes),
              *std::max_element(std::begin(candidates), std::end(candidates)));
}

// The eager kernels' steps add up to their closed forms: the cycle model without an L2 reports
// what the analytic model does, kernel by kernel, on every softmax path, causal, GQA, dropout.
TEST(NaiveEager, CycleWithoutL2EqualsAnalytic) {
    struct Case {
        std::int64_t seq_q, seq_k, kv_heads;
        bool causal;
        DType dtype;
    };
    for (const Case& c :
         {Case{256, 1000, 4, false, DType::bf16}, Case{97, 1025, 2, true, DType::fp16},
          Case{64, 8192, 4, false, DType::bf16}, Case{33, 13000, 1, true, DType::fp32}}) {
        SimulationRequest req = without_l2(eager());
        req.problem.seq_q = c.seq_q;
        req.problem.seq_k = c.seq_k;
        req.problem.kv_heads = c.kv_heads;
        req.problem.causal = c.causal;
        req.problem.dtype = c.dtype;
        req.problem.dropout = 0.1;
        const Result analytic = simulate(req);
        req.model = Model::cycle;
        const Result cycle = simulate(req);
        ASSERT_EQ(analytic.kernels.size(), cycle.kernels.size());
        for (std::size_t k = 0; k < cycle.kernels.size(); ++k) {
            const Metrics& a = analytic.kernels[k].metrics;
            const Metrics& y = cycle.kernels[k].metrics;
            const std::string what = std::to_string(c.seq_k) + " " + cycle.kernels[k].name;
            EXPECT_EQ(a.hbm_read_bytes, y.hbm_read_bytes) << what;
            EXPECT_EQ(a.hbm_write_bytes, y.hbm_write_bytes) << what;
            EXPECT_EQ(a.sram_read_bytes, y.sram_read_bytes) << what;
            EXPECT_EQ(a.sram_write_bytes, y.sram_write_bytes) << what;
            EXPECT_DOUBLE_EQ(a.flops_matmul, y.flops_matmul) << what;
            EXPECT_NEAR(a.flops_softmax, y.flops_softmax, 1e-9 * a.flops_softmax) << what;
        }
    }
}
