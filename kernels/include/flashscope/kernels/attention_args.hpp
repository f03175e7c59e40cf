#pragma once
// Everything a kernel needs to find its tensors: device pointers, element strides and sizes.
// A plain struct passed by value to every kernel. Tensors are indexed (batch, head, row, col)
// with col (the head dimension) contiguous; any batch, head and row strides are allowed.
#include <cstdint>

#include "flashscope/core/dtype.hpp"

#if defined(__CUDACC__)
#define FLASHSCOPE_HOST_DEVICE __host__ __device__
#else
#define FLASHSCOPE_HOST_DEVICE
#endif

namespace flashscope::kernels {

struct TensorRef {
    void* data = nullptr;
    std::int64_t batch_stride = 0;  // elements
    std::int64_t head_stride = 0;
    std::int64_t row_stride = 0;
};

struct AttentionArgs {
    // Inputs and outputs in the problem's dtype.
    TensorRef q, k, v, o;       // q, o: (batch, heads, seq_q, d); k, v: (batch, kv_heads, seq_k, d)
    TensorRef d_o, dq, dk, dv;  // gradients, same shapes as their tensors
    // fp32 side buffers, contiguous.
    float* lse = nullptr;         // (batch, heads, seq_q): natural-log logsumexp of scale*q.k
    float* d_sum = nullptr;       // (batch, heads, seq_q): rowsum(dO * O)
    float* dq_accum = nullptr;    // (batch, heads, seq_q, d)
    float* dk_accum = nullptr;    // (batch, heads, seq_k, d): per query head, GQA only
    float* dv_accum = nullptr;    // (batch, heads, seq_k, d): per query head, GQA only
    int* dq_semaphore = nullptr;  // (batch, heads, ceil(seq_q / 16)): deterministic dQ order
    float* o_accum = nullptr;     // flash1: (batch, heads, seq_q, d) unnormalised output
    float* row_max = nullptr;     // flash1: (batch, heads, seq_q), log2 units
    float* row_sum = nullptr;     // flash1: (batch, heads, seq_q)

    std::int64_t batch = 0, heads = 0, kv_heads = 0, seq_q = 0, seq_k = 0, head_dim = 0;
    float scale = 0.f;  // softmax scale (already resolved, > 0)
    bool causal = false;
    DType dtype = DType::bf16;

    FLASHSCOPE_HOST_DEVICE std::int64_t group() const { return heads / kv_heads; }
};

}  // namespace flashscope::kernels
