#pragma once
// Host helpers the probes share: the median event time of a launch, and the per-part median over
// SMs of the clock64 spans a two-part kernel writes (cycles[2 * cta + part]).
#include <cuda_runtime.h>

#include <algorithm>
#include <vector>

#include "probe_check.cuh"

// The median of `runs` event-timed calls of `launch` after one warm-up call, in seconds.
template <class Launch>
double median_event_seconds(Launch launch, int runs) {
    cudaEvent_t a, b;
    CHECK(cudaEventCreate(&a));
    CHECK(cudaEventCreate(&b));
    launch();
    CHECK(cudaDeviceSynchronize());
    std::vector<double> t;
    for (int k = 0; k < runs; ++k) {
        CHECK(cudaEventRecord(a));
        launch();
        CHECK(cudaEventRecord(b));
        CHECK(cudaEventSynchronize(b));
        float ms = 0;
        CHECK(cudaEventElapsedTime(&ms, a, b));
        t.push_back(ms * 1e-3);
    }
    CHECK(cudaGetLastError());
    CHECK(cudaEventDestroy(a));
    CHECK(cudaEventDestroy(b));
    std::sort(t.begin(), t.end());
    return t[t.size() / 2];
}

struct PartSpans {
    double first = 0, second = 0;  // medians over the SMs, in cycles
};

// After a kernel of `sms` CTAs that wrote cycles[2 * cta + part] on the device.
inline PartSpans part_spans(const long long* cycles, int sms) {
    std::vector<long long> c(2 * static_cast<std::size_t>(sms));
    CHECK(cudaMemcpy(c.data(), cycles, c.size() * sizeof(long long), cudaMemcpyDeviceToHost));
    std::vector<double> a, b;
    for (int i = 0; i < sms; ++i) {
        a.push_back(double(c[2 * i]));
        b.push_back(double(c[2 * i + 1]));
    }
    std::sort(a.begin(), a.end());
    std::sort(b.begin(), b.end());
    return {a[a.size() / 2], b[b.size() / 2]};
}
