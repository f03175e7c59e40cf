#pragma once
// Shared helpers of the microbenchmarks: error checks, device buffers, medians, one CTA per SM.
#include <cuda_runtime.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "flashscope/profiler/stream_hold.hpp"

namespace flashscope::ceilings::detail {

inline void check(cudaError_t err, const char* what) {
    if (err != cudaSuccess)
        throw std::runtime_error(std::string("calibrate: ") + what + ": " +
                                 cudaGetErrorString(err));
}
#define CEILINGS_CHECK(call) ::flashscope::ceilings::detail::check((call), #call)

template <class T>
class DeviceBuffer {
public:
    explicit DeviceBuffer(std::size_t count) : m_count(count) {
        CEILINGS_CHECK(cudaMalloc(&m_ptr, count * sizeof(T)));
    }
    ~DeviceBuffer() { cudaFree(m_ptr); }
    DeviceBuffer(DeviceBuffer&& other) noexcept : m_ptr(other.m_ptr), m_count(other.m_count) {
        other.m_ptr = nullptr;
    }
    DeviceBuffer(const DeviceBuffer&) = delete;
    DeviceBuffer& operator=(const DeviceBuffer&) = delete;
    DeviceBuffer& operator=(DeviceBuffer&&) = delete;
    T* get() const { return m_ptr; }
    std::size_t size() const { return m_count; }
    std::vector<T> to_host() const {
        std::vector<T> host(m_count);
        CEILINGS_CHECK(cudaMemcpy(host.data(), m_ptr, m_count * sizeof(T), cudaMemcpyDeviceToHost));
        return host;
    }

private:
    T* m_ptr = nullptr;
    std::size_t m_count;
};

class Events {
public:
    Events() {
        CEILINGS_CHECK(cudaEventCreate(&m_start));
        CEILINGS_CHECK(cudaEventCreate(&m_stop));
    }
    ~Events() {
        cudaEventDestroy(m_start);
        cudaEventDestroy(m_stop);
    }
    Events(const Events&) = delete;
    Events& operator=(const Events&) = delete;
    void start() { CEILINGS_CHECK(cudaEventRecord(m_start)); }
    double stop_seconds() {
        CEILINGS_CHECK(cudaEventRecord(m_stop));
        return elapsed_seconds();
    }
    // ... of work queued behind `hold`, which is let go once the stop event is queued too.
    double stop_seconds(profiler::StreamHold& hold) {
        CEILINGS_CHECK(cudaEventRecord(m_stop));
        hold.release();
        return elapsed_seconds();
    }

private:
    double elapsed_seconds() {
        CEILINGS_CHECK(cudaEventSynchronize(m_stop));
        float ms = 0;
        CEILINGS_CHECK(cudaEventElapsedTime(&ms, m_start, m_stop));
        return double(ms) * 1e-3;
    }

    cudaEvent_t m_start{}, m_stop{};
};

inline double median(std::vector<double> v) {
    if (v.empty()) throw std::runtime_error("calibrate: median of nothing");
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

template <class F>
double median_of(int runs, F&& run_once) {
    std::vector<double> v;
    for (int r = 0; r < std::max(runs, 1); ++r) v.push_back(run_once());
    return median(v);
}

inline int device_sm_count() {
    int device = 0, sms = 0;
    CEILINGS_CHECK(cudaGetDevice(&device));
    CEILINGS_CHECK(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, device));
    return sms;
}

// Dynamic shared memory that lets only one CTA of `kernel` reside on an SM (more than half the
// SM's shared memory), so that a per-CTA clock64 count is the SM's own rate. Raises the kernel's
// dynamic shared-memory limit to it.
template <class Kernel>
int one_cta_per_sm_smem(Kernel kernel) {
    int device = 0, per_sm = 0;
    CEILINGS_CHECK(cudaGetDevice(&device));
    CEILINGS_CHECK(
        cudaDeviceGetAttribute(&per_sm, cudaDevAttrMaxSharedMemoryPerMultiprocessor, device));
    const int bytes = per_sm / 2 + 1024;
    CEILINGS_CHECK(
        cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, bytes));
    return bytes;
}

}  // namespace flashscope::ceilings::detail

namespace flashscope::ceilings::detail {

// Runs `kernel` on one CTA per SM of every SM (warm-up first) and returns `ops_per_cta` divided by
// the median over CTAs of the clock64 cycles each counted; the median of `runs` launches. The
// kernel's last two parameters are (unsigned* sink, long long* cycles).
template <class... Params, class... Args>
double per_sm_rate(void (*kernel)(Params...), int threads, double ops_per_cta, int runs,
                   Args... args) {
    const int sms = device_sm_count();
    const int smem = one_cta_per_sm_smem(kernel);
    DeviceBuffer<unsigned> sink{std::size_t(sms)};
    DeviceBuffer<long long> cycles{std::size_t(sms)};
    auto launch = [&] {
        kernel<<<sms, threads, smem>>>(args..., sink.get(), cycles.get());
        CEILINGS_CHECK(cudaGetLastError());
        CEILINGS_CHECK(cudaDeviceSynchronize());
    };
    launch();
    return median_of(runs, [&] {
        launch();
        std::vector<double> per_cta;
        for (const long long c : cycles.to_host()) per_cta.push_back(double(c));
        return ops_per_cta / median(per_cta);
    });
}

// One CTA of `threads` threads: the cycles thread 0 counted divided by `ops`, median of `runs`.
template <class... Params, class... Args>
double cycles_per_op(void (*kernel)(Params...), int threads, double ops, int runs, Args... args) {
    DeviceBuffer<unsigned> sink(1);
    DeviceBuffer<long long> cycles(1);
    auto launch = [&] {
        kernel<<<1, threads>>>(args..., sink.get(), cycles.get());
        CEILINGS_CHECK(cudaGetLastError());
        CEILINGS_CHECK(cudaDeviceSynchronize());
    };
    launch();
    return median_of(runs, [&] {
        launch();
        return double(cycles.to_host()[0]) / ops;
    });
}

}  // namespace flashscope::ceilings::detail

// Inside a kernel: every warp starts together, and thread 0 records the CTA's cycles at the end.
#define CEILINGS_START() \
    __syncthreads();     \
    const long long ceilings_t0_ = clock64()
#define CEILINGS_STOP(cycles)                                                     \
    __syncthreads();                                                              \
    {                                                                             \
        const long long ceilings_t1_ = clock64();                                 \
        if (threadIdx.x == 0) (cycles)[blockIdx.x] = ceilings_t1_ - ceilings_t0_; \
    }
