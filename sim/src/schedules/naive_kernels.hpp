#pragma once
// The kernels of standard attention: GEMMs over the (block_m, block_n) tile grid of the N x N
// matrices, and row-wise softmax / elementwise kernels. naive.cpp strings them together.
#include <memory>
#include <string>

#include "plan_base.hpp"

namespace flashscope::sim::detail {

// out_ij = A_i B_j^T, one unit per output tile (block_m, block_n), row blocks fastest.
// A is query-side (Q, dO), B key-side (K, V), out an N x N tensor (S, dP).
std::unique_ptr<KernelPlan> make_score_gemm(const PlanContext& c, std::string name, Tensor a,
                                            Tensor b, Tensor out, bool scale_epilogue);
// out_i = sum_j M_ij B_j: one unit per query block, streaming the row of M (P, dS) and B (V, K).
std::unique_ptr<KernelPlan> make_row_gemm(const PlanContext& c, std::string name, Tensor m,
                                          Tensor b, Tensor out);
// out_j = sum_i M_ij^T A_i: one unit per key block, streaming a column of M and A (dO, Q).
// `out` d_k_expanded or d_v_expanded lands in d_k / d_v directly without GQA; any other tensor
// (eager mode's d_k_transposed) is written per query head as named.
std::unique_ptr<KernelPlan> make_col_gemm(const PlanContext& c, std::string name, Tensor m,
                                          Tensor a, Tensor out);
// P = softmax(S) row by row, the causal mask fused (kernels/' softmax; eager mode has its own).
std::unique_ptr<KernelPlan> make_softmax(const PlanContext& c, std::string name);
// dS = P * (dP - rowsum(dO * O)).
std::unique_ptr<KernelPlan> make_softmax_backward(const PlanContext& c, std::string name);
// x = f(x) in place over an N x N tensor: eager mode's mask and dropout kernels.
std::unique_ptr<KernelPlan> make_elementwise(const PlanContext& c, std::string name, Tensor t);

// A row of the N x N matrix is cached in SRAM when it fits; otherwise softmax reads it twice.
inline bool softmax_row_fits(const PlanContext& c) {
    return c.problem.seq_k * c.elem <= c.sram_per_block_bytes;
}

// kernels/src/softmax_kernels.cu (16-bit types only) holds a whole row in registers, 8 elements per
// thread and 16-byte vector, up to 8 vectors of its 256 threads, when the row is a whole number of
// vectors.
inline constexpr std::int64_t k_softmax_threads = 256;
inline constexpr std::int64_t k_softmax_max_vectors = 8;
inline bool softmax_row_in_registers(const PlanContext& c) {
    return c.elem == 2 && c.problem.seq_k % 8 == 0 &&
           c.problem.seq_k <= k_softmax_max_vectors * k_softmax_threads * 8;
}

}  // namespace flashscope::sim::detail
