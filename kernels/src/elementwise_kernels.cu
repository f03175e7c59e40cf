// Small memory-bound kernels: seeded fill, NaN poison, the flash2 backward pre/post-processing and
// the GQA group reduction of dK/dV.
#include <cuda_bf16.h>
#include <cuda_fp16.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <type_traits>

#include "aux_launchers.hpp"
#include "device/mma.cuh"
#include "flashscope/kernels/cuda_error.hpp"
#include "kernel_common.hpp"

namespace flashscope::kernels::detail {

namespace {

constexpr int k_threads = 256;

unsigned blocks_for(std::int64_t count, std::int64_t per_block = k_threads) {
    const std::int64_t blocks = (count + per_block - 1) / per_block;
    return static_cast<unsigned>(blocks < 65535 * 16 ? blocks : 65535 * 16);
}

__device__ __forceinline__ std::uint64_t mix(std::uint64_t x) {  // splitmix64 finaliser
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

template <typename T>
__global__ void fill_uniform_kernel(T* data, std::int64_t count, std::uint64_t seed) {
    for (std::int64_t i = blockIdx.x * static_cast<std::int64_t>(blockDim.x) + threadIdx.x;
         i < count; i += static_cast<std::int64_t>(gridDim.x) * blockDim.x) {
        const std::uint64_t bits = mix(seed * 0x100000001b3ull + static_cast<std::uint64_t>(i));
        const float u = static_cast<float>(bits >> 40) * (1.0f / 16777216.0f);  // [0, 1)
        if constexpr (std::is_same_v<T, float>)
            data[i] = 2.f * u - 1.f;
        else
            data[i] = device::from_float<T>(2.f * u - 1.f);
    }
}

template <typename T>
__global__ void fill_nan_kernel(T* data, std::int64_t count) {
    for (std::int64_t i = blockIdx.x * static_cast<std::int64_t>(blockDim.x) + threadIdx.x;
         i < count; i += static_cast<std::int64_t>(gridDim.x) * blockDim.x) {
        if constexpr (std::is_same_v<T, float>)
            data[i] = NAN;
        else
            data[i] = device::from_float<T>(NAN);
    }
}

// One warp per query row: D = sum_c dO * O, and the row of dq_accum zeroed.
template <typename T>
__global__ void preprocess_kernel(AttentionArgs args, std::int64_t semaphore_count) {
    const std::int64_t global_thread =
        blockIdx.x * static_cast<std::int64_t>(blockDim.x) + threadIdx.x;
    if (global_thread < semaphore_count) args.dq_semaphore[global_thread] = 0;
    const std::int64_t row_id = global_thread / 32;  // (batch, head, row)
    const int lane = threadIdx.x % 32;
    const std::int64_t rows = args.batch * args.heads * args.seq_q;
    if (row_id >= rows) return;
    const std::int64_t row = row_id % args.seq_q;
    const std::int64_t head = (row_id / args.seq_q) % args.heads;
    const std::int64_t batch = row_id / (args.seq_q * args.heads);
    const T* d_o = tensor_at<const T>(args.d_o, batch, head) + row * args.d_o.row_stride;
    const T* o = tensor_at<const T>(args.o, batch, head) + row * args.o.row_stride;
    float* dq = args.dq_accum + row_id * args.head_dim;
    float sum = 0.f;
    for (std::int64_t c = lane; c < args.head_dim; c += 32) {
        sum += device::to_float(d_o[c]) * device::to_float(o[c]);
        dq[c] = 0.f;
    }
    for (int offset = 16; offset > 0; offset /= 2) sum += __shfl_xor_sync(0xffffffffu, sum, offset);
    if (lane == 0) args.d_sum[row_id] = sum;
}

template <typename T>
__global__ void convert_dq_kernel(AttentionArgs args) {
    const std::int64_t count = args.batch * args.heads * args.seq_q * args.head_dim;
    for (std::int64_t i = blockIdx.x * static_cast<std::int64_t>(blockDim.x) + threadIdx.x;
         i < count; i += static_cast<std::int64_t>(gridDim.x) * blockDim.x) {
        const std::int64_t c = i % args.head_dim;
        const std::int64_t row = (i / args.head_dim) % args.seq_q;
        const std::int64_t head = (i / (args.head_dim * args.seq_q)) % args.heads;
        const std::int64_t batch = i / (args.head_dim * args.seq_q * args.heads);
        tensor_at<T>(args.dq, batch, head)[row * args.dq.row_stride + c] =
            device::from_float<T>(args.dq_accum[i] * args.scale);
    }
}

// Sums the group's query heads in a fixed order (deterministic).
template <typename T>
__global__ void dkv_reduce_kernel(AttentionArgs args) {
    const std::int64_t group = args.group();
    const std::int64_t count = args.batch * args.kv_heads * args.seq_k * args.head_dim;
    for (std::int64_t i = blockIdx.x * static_cast<std::int64_t>(blockDim.x) + threadIdx.x;
         i < count; i += static_cast<std::int64_t>(gridDim.x) * blockDim.x) {
        const std::int64_t c = i % args.head_dim;
        const std::int64_t key = (i / args.head_dim) % args.seq_k;
        const std::int64_t kv_head = (i / (args.head_dim * args.seq_k)) % args.kv_heads;
        const std::int64_t batch = i / (args.head_dim * args.seq_k * args.kv_heads);
        float dk = 0.f, dv = 0.f;
        for (std::int64_t g = 0; g < group; ++g) {
            const std::int64_t head = kv_head * group + g;
            const std::int64_t at =
                ((batch * args.heads + head) * args.seq_k + key) * args.head_dim + c;
            dk += args.dk_accum[at];
            dv += args.dv_accum[at];
        }
        tensor_at<T>(args.dk, batch, kv_head)[key * args.dk.row_stride + c] =
            device::from_float<T>(dk);
        tensor_at<T>(args.dv, batch, kv_head)[key * args.dv.row_stride + c] =
            device::from_float<T>(dv);
    }
}

}  // namespace

void fill_uniform(void* data, DType dtype, std::int64_t count, std::uint64_t seed,
                  cudaStream_t stream) {
    if (count == 0) return;
    const unsigned blocks = blocks_for(count);
    switch (dtype) {
        case DType::bf16:
            fill_uniform_kernel<<<blocks, k_threads, 0, stream>>>(static_cast<__nv_bfloat16*>(data),
                                                                  count, seed);
            break;
        case DType::fp16:
            fill_uniform_kernel<<<blocks, k_threads, 0, stream>>>(static_cast<__half*>(data), count,
                                                                  seed);
            break;
        case DType::fp32:
            fill_uniform_kernel<<<blocks, k_threads, 0, stream>>>(static_cast<float*>(data), count,
                                                                  seed);
            break;
    }
    FLASHSCOPE_CHECK_LAUNCH();
}

void fill_nan(void* data, DType dtype, std::int64_t count, cudaStream_t stream) {
    if (count == 0) return;
    const unsigned blocks = blocks_for(count);
    switch (dtype) {
        case DType::bf16:
            fill_nan_kernel<<<blocks, k_threads, 0, stream>>>(static_cast<__nv_bfloat16*>(data),
                                                              count);
            break;
        case DType::fp16:
            fill_nan_kernel<<<blocks, k_threads, 0, stream>>>(static_cast<__half*>(data), count);
            break;
        case DType::fp32:
            fill_nan_kernel<<<blocks, k_threads, 0, stream>>>(static_cast<float*>(data), count);
            break;
    }
    FLASHSCOPE_CHECK_LAUNCH();
}

void flash2_bwd_preprocess(const AttentionArgs& args, cudaStream_t stream) {
    const std::int64_t rows = args.batch * args.heads * args.seq_q;
    const std::int64_t semaphores = args.batch * args.heads * ((args.seq_q + 15) / 16);
    const std::int64_t threads = std::max(rows * 32, semaphores);
    const auto blocks = static_cast<unsigned>((threads + k_threads - 1) / k_threads);
    if (args.dtype == DType::bf16)
        preprocess_kernel<__nv_bfloat16><<<blocks, k_threads, 0, stream>>>(args, semaphores);
    else
        preprocess_kernel<__half><<<blocks, k_threads, 0, stream>>>(args, semaphores);
    FLASHSCOPE_CHECK_LAUNCH();
}

void flash2_bwd_convert_dq(const AttentionArgs& args, cudaStream_t stream) {
    const unsigned blocks = blocks_for(args.batch * args.heads * args.seq_q * args.head_dim);
    if (args.dtype == DType::bf16)
        convert_dq_kernel<__nv_bfloat16><<<blocks, k_threads, 0, stream>>>(args);
    else
        convert_dq_kernel<__half><<<blocks, k_threads, 0, stream>>>(args);
    FLASHSCOPE_CHECK_LAUNCH();
}

void dkv_reduce(const AttentionArgs& args, cudaStream_t stream) {
    const unsigned blocks = blocks_for(args.batch * args.kv_heads * args.seq_k * args.head_dim);
    if (args.dtype == DType::bf16)
        dkv_reduce_kernel<__nv_bfloat16><<<blocks, k_threads, 0, stream>>>(args);
    else
        dkv_reduce_kernel<__half><<<blocks, k_threads, 0, stream>>>(args);
    FLASHSCOPE_CHECK_LAUNCH();
}

}  // namespace flashscope::kernels::detail
