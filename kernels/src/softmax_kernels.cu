// naive attention's row kernels: P = softmax(scale * S) with the causal mask (bottom-right
// aligned), and dS = P o (dP - rowsum(dO o O)). S, P, dP, dS are (batch*heads, seq_q, seq_k),
// contiguous. S arrives unscaled (a scaled fp16 S would overflow at 65504 for large scales) and
// exp2((s - max) * scale * log2 e) subtracts before scaling, so the max gives exactly 1.
#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include <cmath>
#include <cstdint>

#include "aux_launchers.hpp"
#include "device/mma.cuh"
#include "flashscope/kernels/cuda_error.hpp"
#include "kernel_common.hpp"

namespace flashscope::kernels::detail {

namespace {

constexpr int k_threads = 256;

template <bool kMax>
__device__ float block_reduce(float value, float* scratch) {
    for (int offset = 16; offset > 0; offset /= 2) {
        const float other = __shfl_xor_sync(0xffffffffu, value, offset);
        value = kMax ? fmaxf(value, other) : value + other;
    }
    const int warp = threadIdx.x / 32;
    __syncthreads();  // scratch may still be read by a previous reduction
    if (threadIdx.x % 32 == 0) scratch[warp] = value;
    __syncthreads();
    value = scratch[0];
    for (int w = 1; w < k_threads / 32; ++w)
        value = kMax ? fmaxf(value, scratch[w]) : value + scratch[w];
    return value;
}

// Keys visible to query `row`.
__device__ __forceinline__ std::int64_t visible_keys(std::int64_t row, std::int64_t seq_q,
                                                     std::int64_t seq_k, bool causal) {
    if (!causal) return seq_k;
    const std::int64_t limit = row + seq_k - seq_q + 1;
    return limit < seq_k ? (limit > 0 ? limit : 0) : seq_k;
}

// The whole row in registers: kVec 16-byte vectors (8 elements) per thread.
template <typename T, int kVec>
__global__ void __launch_bounds__(k_threads)
    softmax_registers_kernel(const T* s, T* p, std::int64_t seq_q, std::int64_t seq_k, bool causal,
                             float scale_log2) {
    __shared__ float scratch[k_threads / 32];
    const std::int64_t row_id = blockIdx.x;
    const std::int64_t limit = visible_keys(row_id % seq_q, seq_q, seq_k, causal);
    const T* s_row = s + row_id * seq_k;
    T* p_row = p + row_id * seq_k;
    float x[kVec][8];
    float local_max = -INFINITY;
#pragma unroll
    for (int v = 0; v < kVec; ++v) {
        const std::int64_t col0 = (static_cast<std::int64_t>(v) * k_threads + threadIdx.x) * 8;
        uint4 raw = make_uint4(0, 0, 0, 0);
        if (col0 < seq_k) raw = *reinterpret_cast<const uint4*>(s_row + col0);
        const T* values = reinterpret_cast<const T*>(&raw);
#pragma unroll
        for (int e = 0; e < 8; ++e) {
            x[v][e] = col0 + e < limit ? device::to_float(values[e]) : -INFINITY;
            local_max = fmaxf(local_max, x[v][e]);
        }
    }
    const float row_max = block_reduce<true>(local_max, scratch);
    const float base = row_max == -INFINITY ? 0.f : row_max;  // a row that sees no key: P = 0
    float local_sum = 0.f;
#pragma unroll
    for (int v = 0; v < kVec; ++v)
#pragma unroll
        for (int e = 0; e < 8; ++e) {
            x[v][e] = exp2f((x[v][e] - base) * scale_log2);
            local_sum += x[v][e];
        }
    const float sum = block_reduce<false>(local_sum, scratch);
    const float inv = sum > 0.f ? 1.f / sum : 0.f;
#pragma unroll
    for (int v = 0; v < kVec; ++v) {
        const std::int64_t col0 = (static_cast<std::int64_t>(v) * k_threads + threadIdx.x) * 8;
        if (col0 >= seq_k) continue;
        uint4 raw;
        std::uint32_t* words = reinterpret_cast<std::uint32_t*>(&raw);
#pragma unroll
        for (int e = 0; e < 4; ++e)
            words[e] = device::pack2<T>(x[v][2 * e] * inv, x[v][2 * e + 1] * inv);
        *reinterpret_cast<uint4*>(p_row + col0) = raw;
    }
}

// Any row length: three passes over the row (the re-reads hit L1/L2).
template <typename T>
__global__ void __launch_bounds__(k_threads)
    softmax_looped_kernel(const T* s, T* p, std::int64_t seq_q, std::int64_t seq_k, bool causal,
                          float scale_log2) {
    __shared__ float scratch[k_threads / 32];
    const std::int64_t row_id = blockIdx.x;
    const std::int64_t limit = visible_keys(row_id % seq_q, seq_q, seq_k, causal);
    const T* s_row = s + row_id * seq_k;
    T* p_row = p + row_id * seq_k;
    float local_max = -INFINITY;
    for (std::int64_t c = threadIdx.x; c < limit; c += k_threads)
        local_max = fmaxf(local_max, device::to_float(s_row[c]));
    const float row_max = block_reduce<true>(local_max, scratch);
    const float base = row_max == -INFINITY ? 0.f : row_max;  // a row that sees no key: P = 0
    float local_sum = 0.f;
    for (std::int64_t c = threadIdx.x; c < limit; c += k_threads)
        local_sum += exp2f((device::to_float(s_row[c]) - base) * scale_log2);
    const float sum = block_reduce<false>(local_sum, scratch);
    const float inv = sum > 0.f ? 1.f / sum : 0.f;
    for (std::int64_t c = threadIdx.x; c < seq_k; c += k_threads) {
        const float value =
            c < limit ? exp2f((device::to_float(s_row[c]) - base) * scale_log2) * inv : 0.f;
        p_row[c] = device::from_float<T>(value);
    }
}

template <typename T>
__global__ void __launch_bounds__(k_threads)
    softmax_bwd_kernel(AttentionArgs args, const T* p, const T* dp, T* ds) {
    __shared__ float scratch[k_threads / 32];
    const std::int64_t row_id = blockIdx.x;  // (batch, head, row)
    const std::int64_t row = row_id % args.seq_q;
    const std::int64_t head = (row_id / args.seq_q) % args.heads;
    const std::int64_t batch = row_id / (args.seq_q * args.heads);
    const T* d_o = tensor_at<const T>(args.d_o, batch, head) + row * args.d_o.row_stride;
    const T* o = tensor_at<const T>(args.o, batch, head) + row * args.o.row_stride;
    float local = 0.f;
    for (std::int64_t c = threadIdx.x; c < args.head_dim; c += k_threads)
        local += device::to_float(d_o[c]) * device::to_float(o[c]);
    const float d_sum = block_reduce<false>(local, scratch);
    const std::int64_t offset = row_id * args.seq_k;
    if (args.seq_k % 8 == 0) {
        for (std::int64_t c = threadIdx.x * 8; c < args.seq_k; c += k_threads * 8) {
            const uint4 p_raw = *reinterpret_cast<const uint4*>(p + offset + c);
            const uint4 dp_raw = *reinterpret_cast<const uint4*>(dp + offset + c);
            const T* pv = reinterpret_cast<const T*>(&p_raw);
            const T* dpv = reinterpret_cast<const T*>(&dp_raw);
            uint4 out;
            std::uint32_t* words = reinterpret_cast<std::uint32_t*>(&out);
#pragma unroll
            for (int e = 0; e < 4; ++e) {
                const float lo =
                    device::to_float(pv[2 * e]) * (device::to_float(dpv[2 * e]) - d_sum);
                const float hi =
                    device::to_float(pv[2 * e + 1]) * (device::to_float(dpv[2 * e + 1]) - d_sum);
                words[e] = device::pack2<T>(lo, hi);
            }
            *reinterpret_cast<uint4*>(ds + offset + c) = out;
        }
    } else {
        for (std::int64_t c = threadIdx.x; c < args.seq_k; c += k_threads)
            ds[offset + c] = device::from_float<T>(device::to_float(p[offset + c]) *
                                                   (device::to_float(dp[offset + c]) - d_sum));
    }
}

template <typename T>
void launch_softmax(const AttentionArgs& args, const T* s, T* p, cudaStream_t stream) {
    const auto rows = static_cast<unsigned>(args.batch * args.heads * args.seq_q);
    const std::int64_t per_vec = static_cast<std::int64_t>(k_threads) * 8;
    const float scale_log2 = args.scale * 1.4426950408889634f;
    const std::int64_t sq = args.seq_q, sk = args.seq_k;
    if (sk % 8 != 0 || sk > 8 * per_vec)
        softmax_looped_kernel<T>
            <<<rows, k_threads, 0, stream>>>(s, p, sq, sk, args.causal, scale_log2);
    else if (sk <= per_vec)
        softmax_registers_kernel<T, 1>
            <<<rows, k_threads, 0, stream>>>(s, p, sq, sk, args.causal, scale_log2);
    else if (sk <= 2 * per_vec)
        softmax_registers_kernel<T, 2>
            <<<rows, k_threads, 0, stream>>>(s, p, sq, sk, args.causal, scale_log2);
    else if (sk <= 4 * per_vec)
        softmax_registers_kernel<T, 4>
            <<<rows, k_threads, 0, stream>>>(s, p, sq, sk, args.causal, scale_log2);
    else
        softmax_registers_kernel<T, 8>
            <<<rows, k_threads, 0, stream>>>(s, p, sq, sk, args.causal, scale_log2);
    FLASHSCOPE_CHECK_LAUNCH();
}

}  // namespace

void naive_softmax(const AttentionArgs& args, const void* s, void* p, cudaStream_t stream) {
    if (args.dtype == DType::bf16)
        launch_softmax(args, static_cast<const __nv_bfloat16*>(s), static_cast<__nv_bfloat16*>(p),
                       stream);
    else
        launch_softmax(args, static_cast<const __half*>(s), static_cast<__half*>(p), stream);
}

void naive_softmax_bwd(const AttentionArgs& args, const void* p, const void* dp, void* ds,
                       cudaStream_t stream) {
    const auto rows = static_cast<unsigned>(args.batch * args.heads * args.seq_q);
    if (args.dtype == DType::bf16)
        softmax_bwd_kernel<__nv_bfloat16><<<rows, k_threads, 0, stream>>>(
            args, static_cast<const __nv_bfloat16*>(p), static_cast<const __nv_bfloat16*>(dp),
            static_cast<__nv_bfloat16*>(ds));
    else
        softmax_bwd_kernel<__half><<<rows, k_threads, 0, stream>>>(
            args, static_cast<const __half*>(p), static_cast<const __half*>(dp),
            static_cast<__half*>(ds));
    FLASHSCOPE_CHECK_LAUNCH();
}

}  // namespace flashscope::kernels::detail
