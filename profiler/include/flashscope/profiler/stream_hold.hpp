#pragma once
// Holds a stream on the GPU until the host has queued the work to be timed, so that CUDA events
// around that work time the GPU alone. Without it, a launch timed on an idle GPU starts its clock
// at the start event and then waits for the host's launch call (microseconds for our kernels,
// more for cuBLAS's), which a kernel of ten microseconds cannot afford (docs/VALIDATION.md,
// "Protocol notes"). The technique is nvbench's blocking kernel: one thread spins on a flag in
// mapped host memory until release(); it gives up after `limit_s`, and timed_out() then says so,
// so that a host call that waits for the GPU cannot deadlock the timing.
#include <cuda_runtime_api.h>

#include <cstdint>

namespace flashscope::profiler {

class StreamHold {
public:
    explicit StreamHold(double limit_s = 2.0);
    ~StreamHold();
    StreamHold(const StreamHold&) = delete;
    StreamHold& operator=(const StreamHold&) = delete;

    // Queues the spinning kernel on `stream`: work queued after it waits for release().
    void hold(cudaStream_t stream);
    // Lets the last hold go.
    void release();
    // Whether the last hold gave up before release() (read it once the stream has finished).
    bool timed_out() const;
    double limit_s() const { return double(m_limit_ns) * 1e-9; }

private:
    std::uint32_t* m_flags = nullptr;  // mapped host memory: [0] released hold, [1] timed-out hold
    std::uint32_t m_generation = 0;    // the last hold's number
    std::uint64_t m_limit_ns = 0;
};

}  // namespace flashscope::profiler
