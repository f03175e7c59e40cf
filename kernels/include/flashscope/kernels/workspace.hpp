#pragma once
// The host entry point: one attention problem's device buffers and the kernel launches of each
// algorithm and pass over them. Used by the tests, `flashscope bench`, the profiler and validate.
#include <cuda_runtime.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "flashscope/core/algorithm.hpp"
#include "flashscope/core/problem.hpp"
#include "flashscope/core/tile.hpp"
#include "flashscope/kernels/attention_args.hpp"
#include "flashscope/kernels/launch_plans.hpp"  // planned_kernel_names
#include "flashscope/kernels/registry.hpp"      // built_tiles

namespace flashscope::kernels {

// One kernel launch (a cuBLAS call counts as one). The name is the algorithm descriptor's
// (kernel_name(algorithm, role)), the one the simulator gives the same kernel, so measured and
// simulated records join on it. `run` enqueues on the given stream and throws on launch errors; it
// takes no lock and allocates nothing.
struct KernelLaunch {
    std::string name;
    std::function<void(cudaStream_t)> run;
};

enum class Tensor { q, k, v, o, lse, d_o, dq, dk, dv };

// Owns device buffers for one problem (Q, K, V, O, LSE, dO, dQ, dK, dV, and, through each
// algorithm's launch plan, the side buffers it needs: naive's S/P/dP/dS, flash1's running state,
// flash2's dQ accumulator), allocated when a launch first needs them, inputs filled with seeded
// uniform values in [-1, 1). Layout: Q, O, dO, dQ (batch, seq_q, heads, head_dim); K, V, dK, dV
// (batch, seq_k, kv_heads, head_dim); LSE (batch, heads, seq_q) fp32. Launches stay valid while the
// workspace lives.
class AttentionWorkspace {
public:
    AttentionWorkspace(const AttentionProblem& problem, std::uint64_t seed = 1);
    ~AttentionWorkspace();
    AttentionWorkspace(const AttentionWorkspace&) = delete;
    AttentionWorkspace& operator=(const AttentionWorkspace&) = delete;

    // The kernel launches of one algorithm and pass, in order, one entry per kernel launch, as its
    // launch plan (kernels/src/algorithms/<name>.cpp) lists them: planned_kernel_names() gives the
    // same names without a device. Pass::fwdbwd = fwd launches then bwd launches. Tile fields left
    // 0 take the registry's default; an untiled algorithm (naive) ignores the tile. For fwdbwd the
    // tile names the forward kernel; the backward kernel uses the same tile when built, else the
    // default backward tile (for bwd alone an unbuilt tile is an error). `deterministic` selects an
    // ordered backward accumulation where the algorithm has one (has_deterministic_mode). Throws
    // ConfigError / NotBuiltError for a pass the descriptor does not measure, an unbuilt tile, or
    // `deterministic` without such a mode; the shared-memory opt-in happens here, not in `run`.
    std::vector<KernelLaunch> launches(Algorithm algo, Pass pass, const TileConfig& tile,
                                       bool deterministic = false);
    std::int64_t device_bytes() const;  // what it allocated so far

    // Fills O, LSE, dQ, dK, dV with NaN (synchronous).
    void poison_outputs();
    // Host copy of a tensor as float, in (batch, head, row, col) order (synchronous).
    std::vector<float> download(Tensor tensor) const;
    // Overwrites one element of an input (Q, K, V or dO), rounded to the dtype (synchronous): how
    // tests plant a NaN or an infinity. `head` counts K/V heads for K and V.
    void set_input(Tensor tensor, std::int64_t batch, std::int64_t head, std::int64_t row,
                   std::int64_t col, float value);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

bool device_available();  // a CUDA device is present and usable

}  // namespace flashscope::kernels
