#pragma once
// What FlashAttention 1.x decides on the host before it launches, as released in v1.0.9
// (github:Dao-AILab/flash-attention, tag v1.0.9 = commit 6d48e14a, files under csrc/flash_attn/):
// the kernel traits per head dim, the shared memory they ask for, and the heuristics that split
// the sequence across CTAs. Each fact names its file; docs/MODEL.md ("flash1_released") has more.
#include <cstdint>

#include "flashscope/core/problem.hpp"

namespace flashscope::sim::detail {

// FMHA_kernel_traits<S, D, STEP, WARPS_M = 1, WARPS_N, FLAGS> of one launch.
struct Fa1Kernel {
    std::int64_t head_dim;  // D: the problem's head_dim rounded up to 32, 64 or 128
    std::int64_t block_m;   // STEP: query rows per inner step, 16 for every instance
    std::int64_t block_n;   // S: keys per outer step
    std::int64_t warps;     // WARPS_N: 4 forward, 8 backward
    bool v_in_registers;    // FLAGS bit 0x100 clear (V kept in registers, not re-read from SRAM)
};

// Throws ConfigError for problems the released kernels refuse (fmha_api.cpp): head_dim not a
// multiple of 8 or above 128, fp32, and kv_heads != heads (q, k, v share num_heads).
void check_fa1_problem(const AttentionProblem& p);

// fmha_fwd_hdim{32,64,128}.cu and fmha_bwd_hdim{32,64,128}.cu on sm80/sm90 (A100, H100, H200).
Fa1Kernel fa1_forward_kernel(const AttentionProblem& p);
Fa1Kernel fa1_backward_kernel(const AttentionProblem& p);

// Dynamic shared memory per CTA (run_fmha_fwd_loop, run_fmha_bwd_loop).
std::int64_t fa1_forward_smem_bytes(const Fa1Kernel& k, bool loops_over_keys);
std::int64_t fa1_backward_smem_bytes(const Fa1Kernel& k);

// num_splits_heuristic_fwd: CTAs per (batch, head) along the queries, the fewest that reach 95 %
// of the best wave efficiency of 1..30 splits.
int fa1_forward_splits(int batch_heads, int sm_count, int ctas_per_sm);
// num_splits_heuristic_bwd: 1 (one CTA per (batch, head) walks all K/V blocks) or one CTA per
// K/V block ("seq-parallel", dQ by fp32 atomics). seq_k_padded: seq_k rounded up to block_n.
int fa1_backward_splits(int batch_heads, int sm_count, int ctas_per_sm, std::int64_t seq_k_padded,
                        std::int64_t block_n, bool causal);

// The first 16-row query block that K/V block j reaches: causal masks are top-left aligned in
// 1.x (query r sees keys <= r), begin = j * block_n / 16 (fmha_fprop_kernel_1xN.h).
std::int64_t fa1_first_query_block(const Fa1Kernel& k, bool causal, std::int64_t j);

}  // namespace flashscope::sim::detail
