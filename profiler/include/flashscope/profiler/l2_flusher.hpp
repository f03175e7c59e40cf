#pragma once
// Empties the L2 before a measured range: first writes, then reads a buffer several times the L2's
// size, so the data of earlier kernels is evicted (dirty lines written back now, outside the range)
// and the L2 is left holding clean lines that cost no write-back later.
#include <cuda_runtime_api.h>

#include <cstdint>

namespace flashscope::profiler {

class L2Flusher {
public:
    explicit L2Flusher(std::int64_t l2_bytes, std::int64_t factor = 4);
    ~L2Flusher();
    L2Flusher(const L2Flusher&) = delete;
    L2Flusher& operator=(const L2Flusher&) = delete;

    void flush(cudaStream_t stream);  // enqueues the flush; does not synchronize
    // Reads the buffer only: measured in a range of its own right after a kernel, its DRAM writes
    // are that kernel's stores that were still dirty in L2 when it ended.
    void drain(cudaStream_t stream);

private:
    std::int64_t m_bytes = 0;
    void* m_buffer = nullptr;
    void* m_sink = nullptr;
    unsigned m_round = 0;
};

}  // namespace flashscope::profiler
