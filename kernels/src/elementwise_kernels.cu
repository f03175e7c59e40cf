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

// The flash2 backward's row-wise kernels run on a (row group, head, batch) grid, so that a thread
// finds its tensor by block index: the first version derived batch, head and row from a flat index
// with 64-bit divisions per thread (per element in convert_dq), which made both kernels
// issue-bound at a fifth of HBM bandwidth (H200, docs/VALIDATION.md).
dim3 row_grid(const AttentionArgs& args, std::int64_t rows_per_block) {
    return dim3(static_cast<unsigned>((args.seq_q + rows_per_block - 1) / rows_per_block),
                static_cast<unsigned>(args.heads), static_cast<unsigned>(args.batch));
}

// D = sum_c dO * O per query row, the row of dq_accum zeroed, and the dQ semaphore of every 16
// rows (the main kernel's unit) reset. Each thread takes kVec consecutive columns of a row per
// access (16-byte loads and stores where the layout allows, kVec = 8), a row spans
// min(32, head_dim / kVec) lanes: at d = 64 one column per lane left each warp two 64-byte loads
// in flight and the kernel at half of HBM bandwidth (H200, docs/VALIDATION.md).
constexpr int k_preprocess_threads = k_threads;

template <int kVec>
__host__ __device__ constexpr int preprocess_lanes(std::int64_t head_dim) {
    int lanes = 1;
    while (lanes < 32 && lanes * kVec < head_dim) lanes *= 2;
    return lanes;
}

template <typename T, int kVec>
__global__ void preprocess_kernel(AttentionArgs args) {
    const int lanes = preprocess_lanes<kVec>(args.head_dim);
    const int lane = threadIdx.x % lanes;
    const std::int64_t row =
        static_cast<std::int64_t>(blockIdx.x) * (blockDim.x / lanes) + threadIdx.x / lanes;
    const std::int64_t head = blockIdx.y, batch = blockIdx.z;
    const bool live = row < args.seq_q;
    const std::int64_t row_id = (batch * args.heads + head) * args.seq_q + row;
    float sum = 0.f;
    if (live) {
        if (lane == 0 && row % 16 == 0)
            args.dq_semaphore[(batch * args.heads + head) * ((args.seq_q + 15) / 16) + row / 16] =
                0;
        const T* d_o = tensor_at<const T>(args.d_o, batch, head) + row * args.d_o.row_stride;
        const T* o = tensor_at<const T>(args.o, batch, head) + row * args.o.row_stride;
        float* dq = args.dq_accum + row_id * args.head_dim;
        for (std::int64_t c = std::int64_t(lane) * kVec; c < args.head_dim; c += lanes * kVec) {
            if constexpr (kVec == 8) {
                const uint4 a = *reinterpret_cast<const uint4*>(d_o + c);
                const uint4 b = *reinterpret_cast<const uint4*>(o + c);
                const T* x = reinterpret_cast<const T*>(&a);
                const T* y = reinterpret_cast<const T*>(&b);
                for (int k = 0; k < kVec; ++k)
                    sum += device::to_float(x[k]) * device::to_float(y[k]);
                *reinterpret_cast<float4*>(dq + c) = make_float4(0.f, 0.f, 0.f, 0.f);
                *reinterpret_cast<float4*>(dq + c + 4) = make_float4(0.f, 0.f, 0.f, 0.f);
            } else {
                sum += device::to_float(d_o[c]) * device::to_float(o[c]);
                dq[c] = 0.f;
            }
        }
    }
    // Every lane of the warp takes part: rows past the end add zeros to their own group.
    for (int offset = lanes / 2; offset > 0; offset /= 2)
        sum += __shfl_xor_sync(0xffffffffu, sum, offset);
    if (live && lane == 0) args.d_sum[row_id] = sum;
}

// 16-byte accesses need 8-element columns, rows and tensors.
bool preprocess_vectorises(const AttentionArgs& args) {
    const auto aligned = [](const TensorRef& t) {
        return reinterpret_cast<std::uintptr_t>(t.data) % 16 == 0 && t.row_stride % 8 == 0 &&
               t.head_stride % 8 == 0 && t.batch_stride % 8 == 0;
    };
    return args.head_dim % 8 == 0 && aligned(args.d_o) && aligned(args.o) &&
           reinterpret_cast<std::uintptr_t>(args.dq_accum) % 16 == 0;
}

// dQ = scale * dq_accum in the dtype, 16 rows per block, four values per thread and access where
// the head dim allows (16-byte loads, 8-byte stores).
constexpr int k_convert_rows = 16;

template <typename T>
__global__ void convert_dq_kernel(AttentionArgs args) {
    const std::int64_t head = blockIdx.y, batch = blockIdx.z;
    const std::int64_t row0 = static_cast<std::int64_t>(blockIdx.x) * k_convert_rows;
    const int rows =
        static_cast<int>(args.seq_q - row0 < k_convert_rows ? args.seq_q - row0 : k_convert_rows);
    const int d = static_cast<int>(args.head_dim);
    const float* src = args.dq_accum + ((batch * args.heads + head) * args.seq_q + row0) * d;
    T* dst = tensor_at<T>(args.dq, batch, head) + row0 * args.dq.row_stride;
    if (d % 4 == 0 && args.dq.row_stride % 4 == 0) {
        const int quads = d / 4;
        for (int i = threadIdx.x; i < rows * quads; i += blockDim.x) {
            const int r = i / quads, c = i % quads * 4;
            const float4 v = *reinterpret_cast<const float4*>(src + r * d + c);
            auto* out = reinterpret_cast<std::uint32_t*>(dst + r * args.dq.row_stride + c);
            out[0] = device::pack2<T>(v.x * args.scale, v.y * args.scale);
            out[1] = device::pack2<T>(v.z * args.scale, v.w * args.scale);
        }
        return;
    }
    for (int i = threadIdx.x; i < rows * d; i += blockDim.x) {
        const int r = i / d, c = i % d;
        dst[r * args.dq.row_stride + c] = device::from_float<T>(src[r * d + c] * args.scale);
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

namespace {

template <typename T, int kVec>
void launch_preprocess(const AttentionArgs& args, cudaStream_t stream) {
    const int rows = k_preprocess_threads / preprocess_lanes<kVec>(args.head_dim);
    preprocess_kernel<T, kVec><<<row_grid(args, rows), k_preprocess_threads, 0, stream>>>(args);
}

template <typename T>
void launch_preprocess(const AttentionArgs& args, cudaStream_t stream) {
    if (preprocess_vectorises(args))
        launch_preprocess<T, 8>(args, stream);
    else
        launch_preprocess<T, 1>(args, stream);
}

}  // namespace

void flash2_bwd_preprocess(const AttentionArgs& args, cudaStream_t stream) {
    if (args.dtype == DType::bf16)
        launch_preprocess<__nv_bfloat16>(args, stream);
    else
        launch_preprocess<__half>(args, stream);
    FLASHSCOPE_CHECK_LAUNCH();
}

void flash2_bwd_convert_dq(const AttentionArgs& args, cudaStream_t stream) {
    const dim3 grid = row_grid(args, k_convert_rows);
    if (args.dtype == DType::bf16)
        convert_dq_kernel<__nv_bfloat16><<<grid, k_threads, 0, stream>>>(args);
    else
        convert_dq_kernel<__half><<<grid, k_threads, 0, stream>>>(args);
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
