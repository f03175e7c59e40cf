#pragma once
// The host entry point: one attention problem's device buffers and the kernel launches of each
// algorithm and pass over them. Used by the tests, `flashscope bench`, the profiler and validate.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <cuda_runtime.h>

#include "flashscope/core/algorithm.hpp"
#include "flashscope/core/problem.hpp"
#include "flashscope/core/tile.hpp"
#include "flashscope/kernels/attention_args.hpp"
#include "flashscope/kernels/registry.hpp"  // built_tiles

namespace flashscope::kernels {

// One kernel launch (a cuBLAS call counts as one). Names join with the simulator's records:
// naive_qk, naive_softmax, naive_pv, naive_dv, naive_dp, naive_softmax_bwd, naive_dq, naive_dk,
// naive_dkv_reduce, flash1_fwd, flash2_fwd, flash2_bwd_preprocess, flash2_bwd, flash2_bwd_convert_dq,
// flash2_bwd_dkv_reduce. `run` enqueues on the given stream and throws on launch errors.
struct KernelLaunch {
    std::string name;
    std::function<void(cudaStream_t)> run;
};

enum class Tensor { q, k, v, o, lse, d_o, dq, dk, dv };

// Owns device buffers for one problem (Q, K, V, O, LSE, dO, dQ, dK, dV, and, when an algorithm needs
// them, naive's S/P/dP/dS, flash1's running state, flash2's dQ accumulator), inputs filled with
// seeded uniform values in [-1, 1). Layout: Q, O, dO, dQ (batch, seq_q, heads, head_dim); K, V, dK,
// dV (batch, seq_k, kv_heads, head_dim); LSE (batch, heads, seq_q) fp32. Launches stay valid while
// the workspace lives.
class AttentionWorkspace {
public:
    AttentionWorkspace(const AttentionProblem& problem, std::uint64_t seed = 1);
    ~AttentionWorkspace();
    AttentionWorkspace(const AttentionWorkspace&) = delete;
    AttentionWorkspace& operator=(const AttentionWorkspace&) = delete;

    // The kernel launches of one algorithm and pass, in order, one entry per kernel launch.
    // Pass::fwdbwd = fwd launches then bwd launches. Tile fields left 0 take the registry's default;
    // naive ignores the tile. For fwdbwd the tile names the forward kernel; the backward kernel uses
    // the same tile when built, else the default backward tile. `deterministic` selects flash2's
    // ordered dQ accumulation. Throws ConfigError / NotBuiltError for unsupported combinations.
    std::vector<KernelLaunch> launches(Algorithm algo, Pass pass, const TileConfig& tile,
                                       bool deterministic = false);
    std::int64_t device_bytes() const;  // what it allocated so far

    // Fills O, LSE, dQ, dK, dV with NaN (synchronous).
    void poison_outputs();
    // Host copy of a tensor as float, in (batch, head, row, col) order (synchronous).
    std::vector<float> download(Tensor tensor) const;
    // Overwrites one element of an input (Q, K, V or dO), rounded to the dtype (synchronous): how
    // tests plant a NaN or an infinity. `head` counts K/V heads for K and V.
    void set_input(Tensor tensor, std::int64_t batch, std::int64_t head, std::int64_t row, std::int64_t col,
                   float value);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

bool device_available();  // a CUDA device is present and usable

}  // namespace flashscope::kernels
