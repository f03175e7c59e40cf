#include "cuda_check.hpp"
#include "flashscope/profiler/stream_hold.hpp"

namespace flashscope::profiler {

namespace {

__device__ std::uint64_t global_ns() {
    std::uint64_t t;
    asm volatile("mov.u64 %0, %%globaltimer;" : "=l"(t));
    return t;
}

// Spins until the host writes `generation` (or a later one) into flags[0]; past `limit_ns` it
// records the generation in flags[1] and returns.
__global__ void hold_kernel(volatile std::uint32_t* flags, std::uint32_t generation,
                            std::uint64_t limit_ns) {
    const std::uint64_t start = global_ns();
    while (static_cast<std::int32_t>(flags[0] - generation) < 0) {
        if (global_ns() - start > limit_ns) {
            flags[1] = generation;
            return;
        }
        __nanosleep(500);
    }
}

}  // namespace

StreamHold::StreamHold(double limit_s) : m_limit_ns(static_cast<std::uint64_t>(limit_s * 1e9)) {
    void* flags = nullptr;
    detail::check_cuda(cudaHostAlloc(&flags, 2 * sizeof(std::uint32_t), cudaHostAllocMapped),
                       "cudaHostAlloc(stream hold flags)");
    m_flags = static_cast<std::uint32_t*>(flags);
    m_flags[0] = 0;
    m_flags[1] = 0;
}

StreamHold::~StreamHold() {
    cudaFreeHost(m_flags);
}

void StreamHold::hold(cudaStream_t stream) {
    ++m_generation;
    void* device_flags = nullptr;
    detail::check_cuda(cudaHostGetDevicePointer(&device_flags, m_flags, 0),
                       "cudaHostGetDevicePointer(stream hold flags)");
    hold_kernel<<<1, 1, 0, stream>>>(static_cast<std::uint32_t*>(device_flags), m_generation,
                                     m_limit_ns);
    detail::check_cuda(cudaGetLastError(), "stream hold launch");
}

void StreamHold::release() {
    // A volatile store: the spinning kernel reads the flag over PCIe/C2C, the compiler must not
    // keep it in a register or drop it.
    *static_cast<volatile std::uint32_t*>(m_flags) = m_generation;
}

bool StreamHold::timed_out() const {
    return static_cast<volatile const std::uint32_t*>(m_flags)[1] == m_generation;
}

}  // namespace flashscope::profiler
