#include <mutex>
#include <string>
#include <unordered_set>

#include "flashscope/core/error.hpp"
#include "flashscope/kernels/cuda_error.hpp"
#include "kernel_common.hpp"

namespace flashscope::kernels::detail {

void prepare_kernel(const void* kernel, int smem_bytes) {
    static std::mutex mutex;
    static std::unordered_set<const void*> prepared;  // single-device process: once per kernel
    std::lock_guard lock(mutex);
    if (prepared.count(kernel) != 0) return;
    int device = 0;
    FLASHSCOPE_CUDA_CHECK(cudaGetDevice(&device));
    int limit = 0;
    FLASHSCOPE_CUDA_CHECK(
        cudaDeviceGetAttribute(&limit, cudaDevAttrMaxSharedMemoryPerBlockOptin, device));
    if (smem_bytes > limit)
        throw ConfigError("tile", std::to_string(smem_bytes) + " bytes of shared memory",
                          "must be <= " + std::to_string(limit) + " on this device");
    FLASHSCOPE_CUDA_CHECK(
        cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, smem_bytes));
    prepared.insert(kernel);
}

}  // namespace flashscope::kernels::detail
