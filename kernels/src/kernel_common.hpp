#pragma once
// Small pieces shared by the kernel instantiation files: tensor addressing, the element-type
// mapping, the one-time shared-memory opt-in and registry keys.
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime.h>

#include <cstdint>

#include "flashscope/kernels/attention_args.hpp"
#include "flashscope/kernels/registry.hpp"

namespace flashscope::kernels::detail {

// Pointer to the first element of (batch, head) of a tensor.
template <typename T>
__host__ __device__ __forceinline__ T* tensor_at(const TensorRef& ref, std::int64_t batch,
                                                 std::int64_t head) {
    return static_cast<T*>(ref.data) + batch * ref.batch_stride + head * ref.head_stride;
}

template <typename T>
constexpr DType dtype_of();
template <>
constexpr DType dtype_of<__nv_bfloat16>() {
    return DType::bf16;
}
template <>
constexpr DType dtype_of<__half>() {
    return DType::fp16;
}

template <typename T>
KernelKey make_key(Algorithm algo, Pass pass, int head_dim, int block_m, int block_n, int warps,
                   int stages) {
    KernelKey key;
    key.algo = algo;
    key.pass = pass;
    key.dtype = dtype_of<T>();
    key.head_dim = head_dim;
    key.tile = TileConfig{block_m, block_n, warps, stages};
    return key;
}

// Raises the kernel's dynamic shared-memory limit (needed above 48 KB) and checks that the device
// can give that much; throws CudaError / ConfigError otherwise.
void prepare_kernel(const void* kernel, int smem_bytes);

}  // namespace flashscope::kernels::detail
