#pragma once
// The probes' kernel timer: CUDA events around a launch queued behind a StreamHold, as
// `flashscope validate` times kernels, so the host's launch call is not in the time.
#include <cuda_runtime.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <vector>

#include "flashscope/profiler/stream_hold.hpp"
#include "probe_check.cuh"

struct HeldTimer {
    cudaEvent_t start, stop;
    flashscope::profiler::StreamHold hold;
    HeldTimer() {
        CHECK(cudaEventCreate(&start));
        CHECK(cudaEventCreate(&stop));
    }
    // Median microseconds of `launch` over nine runs, `before` run ahead of each (untimed).
    double us(const std::function<void()>& launch, const std::function<void()>& before) {
        std::vector<double> v;
        for (int r = 0; r < 9; ++r) {
            before();
            hold.hold(nullptr);
            CHECK(cudaEventRecord(start));
            launch();
            CHECK(cudaEventRecord(stop));
            hold.release();
            CHECK(cudaEventSynchronize(stop));
            if (hold.timed_out()) {
                std::fprintf(stderr, "hold timed out\n");
                std::exit(1);
            }
            float ms = 0;
            CHECK(cudaEventElapsedTime(&ms, start, stop));
            v.push_back(ms * 1e3);
        }
        std::sort(v.begin(), v.end());
        return v[v.size() / 2];
    }
};
