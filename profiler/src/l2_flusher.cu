#include <algorithm>

#include "cuda_check.hpp"
#include "flashscope/profiler/l2_flusher.hpp"

namespace flashscope::profiler {

namespace {

// Reads every 16-byte word of the buffer; the XOR is stored only when it equals a value the
// compiler cannot know, so the loads stay and the kernel writes (almost) nothing.
__global__ void read_sweep_kernel(const uint4* buffer, std::int64_t words, unsigned token,
                                  unsigned* sink) {
    unsigned acc = 0;
    const std::int64_t stride = std::int64_t(gridDim.x) * blockDim.x;
    for (std::int64_t i = std::int64_t(blockIdx.x) * blockDim.x + threadIdx.x; i < words;
         i += stride) {
        const uint4 w = buffer[i];
        acc ^= w.x ^ w.y ^ w.z ^ w.w;
    }
    if (acc == token) *sink = acc;
}

}  // namespace

L2Flusher::L2Flusher(std::int64_t l2_bytes, std::int64_t factor) {
    m_bytes = std::max<std::int64_t>(l2_bytes * factor, 64ll << 20);
    m_bytes = (m_bytes + 15) / 16 * 16;
    detail::check_cuda(cudaMalloc(&m_buffer, static_cast<size_t>(m_bytes)),
                       "cudaMalloc(L2 flush buffer)");
    detail::check_cuda(cudaMalloc(&m_sink, sizeof(unsigned)), "cudaMalloc(L2 flush sink)");
}

L2Flusher::~L2Flusher() {
    cudaFree(m_buffer);
    cudaFree(m_sink);
}

void L2Flusher::flush(cudaStream_t stream) {
    // Writing evicts earlier dirty lines; reading afterwards replaces the now-dirty flush lines
    // with clean ones (the buffer is larger than the L2, so its own tail evicts its head).
    detail::check_cuda(
        cudaMemsetAsync(m_buffer, int(++m_round & 0xff), static_cast<size_t>(m_bytes), stream),
        "L2 flush memset");
    drain(stream);
}

void L2Flusher::drain(cudaStream_t stream) {
    const std::int64_t words = m_bytes / 16;
    read_sweep_kernel<<<1024, 256, 0, stream>>>(static_cast<const uint4*>(m_buffer), words,
                                                0x9e3779b9u ^ m_round,
                                                static_cast<unsigned*>(m_sink));
    detail::check_cuda(cudaGetLastError(), "L2 flush kernel launch");
}

}  // namespace flashscope::profiler
