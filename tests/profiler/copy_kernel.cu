#include <stdexcept>

#include "copy_kernel.cuh"

namespace flashscope::profiler::test_kit {

namespace {

__global__ void copy_kernel(const uint4* src, uint4* dst, std::int64_t words) {
    const std::int64_t stride = std::int64_t(gridDim.x) * blockDim.x;
    for (std::int64_t i = std::int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < words;
         i += stride)
        dst[i] = src[i];
}

}  // namespace

CopyBuffers::CopyBuffers(std::int64_t bytes) : m_bytes(bytes / 16 * 16) {
    if (cudaMalloc(&m_src, size_t(m_bytes)) != cudaSuccess ||
        cudaMalloc(&m_dst, size_t(m_bytes)) != cudaSuccess)
        throw std::runtime_error("cudaMalloc failed for the copy test");
    cudaMemset(m_src, 1, size_t(m_bytes));
    cudaMemset(m_dst, 0, size_t(m_bytes));
    cudaDeviceSynchronize();
}

CopyBuffers::~CopyBuffers() {
    cudaFree(m_src);
    cudaFree(m_dst);
}

void CopyBuffers::copy(cudaStream_t stream) const {
    copy_kernel<<<1056, 256, 0, stream>>>(static_cast<const uint4*>(m_src),
                                          static_cast<uint4*>(m_dst), m_bytes / 16);
}

}  // namespace flashscope::profiler::test_kit
