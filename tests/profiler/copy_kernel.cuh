#pragma once
// A device-to-device copy of known size, the yardstick of the profiler's GPU tests.
#include <cuda_runtime_api.h>

#include <cstdint>

namespace flashscope::profiler::test_kit {

class CopyBuffers {
public:
    explicit CopyBuffers(std::int64_t bytes);
    ~CopyBuffers();
    CopyBuffers(const CopyBuffers&) = delete;
    CopyBuffers& operator=(const CopyBuffers&) = delete;

    void copy(cudaStream_t stream) const;  // one kernel: dst = src, 16 bytes per thread step
    std::int64_t bytes() const { return m_bytes; }

private:
    std::int64_t m_bytes;
    void* m_src = nullptr;
    void* m_dst = nullptr;
};

}  // namespace flashscope::profiler::test_kit
