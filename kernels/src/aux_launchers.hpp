#pragma once
// Host launchers of the small non-tiled kernels (elementwise_kernels.cu, softmax_kernels.cu).
#include <cuda_runtime.h>

#include <cstdint>

#include "flashscope/core/dtype.hpp"
#include "flashscope/kernels/attention_args.hpp"

namespace flashscope::kernels::detail {

// Uniform values in [-1, 1) from a counter-based hash of (seed, index): same seed, same tensor.
void fill_uniform(void* data, DType dtype, std::int64_t count, std::uint64_t seed,
                  cudaStream_t stream);
// Quiet NaN in every element (poisons outputs so an unwritten element fails a test).
void fill_nan(void* data, DType dtype, std::int64_t count, cudaStream_t stream);

// flash2 backward: D = rowsum(dO o O) into args.d_sum; zero args.dq_accum and the semaphores.
void flash2_bwd_preprocess(const AttentionArgs& args, cudaStream_t stream);
// dQ (dtype, strided) = scale * dq_accum.
void flash2_bwd_convert_dq(const AttentionArgs& args, cudaStream_t stream);
// GQA: dK, dV (dtype, strided, per kv head) = sum over the group's query heads of dk_accum,
// dv_accum.
void dkv_reduce(const AttentionArgs& args, cudaStream_t stream);

// naive: P = softmax(S) row by row with the causal mask; S, P (batch*heads, seq_q, seq_k)
// contiguous.
void naive_softmax(const AttentionArgs& args, const void* s, void* p, cudaStream_t stream);
// naive: dS = P o (dP - rowsum(dO o O)).
void naive_softmax_bwd(const AttentionArgs& args, const void* p, const void* dp, void* ds,
                       cudaStream_t stream);

}  // namespace flashscope::kernels::detail
