// How long does a returning atomic take to come back from the L2? Pointer chases over 8 MiB
// (L2-resident, 256 B hops, one thread) where each hop is ld.global.cg (the L2 hit latency
// calibrate measures), atomicAdd(unsigned*, 0) (ATOMG.ADD), or atomicAdd(float2*, {0, 0})
// (ATOMG.ADD.F32x2, what flash2's backward uses for dQ: its result is not used, but the
// instruction returns, and its registers wait for it). Cycles per hop, clock64, median of 5.
// Built and run by scripts/atomic-latency-probe.sh.
#include <cuda_runtime.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <random>
#include <vector>

#include "probe_check.cuh"

constexpr unsigned k_hop = 64;  // words (256 B) between chased words

__global__ void chase_load(const unsigned* next, int steps, unsigned* sink, long long* cycles) {
    unsigned i = 0;
    const long long t0 = clock64();
    for (int s = 0; s < steps; ++s) i = __ldcg(next + i);
    *cycles = clock64() - t0;
    *sink = i;
}

__global__ void chase_atomic(unsigned* next, int steps, unsigned* sink, long long* cycles) {
    unsigned i = 0;
    const long long t0 = clock64();
    for (int s = 0; s < steps; ++s) i = atomicAdd(next + i, 0u);
    *cycles = clock64() - t0;
    *sink = i;
}

// next_f[i] holds the next index as a float (exact below 2^24) in .x; .y is 0.
__global__ void chase_atomic_f2(float2* next_f, int steps, unsigned* sink, long long* cycles) {
    unsigned i = 0;
    const long long t0 = clock64();
    for (int s = 0; s < steps; ++s) {
#if __CUDA_ARCH__ >= 900
        const float2 r = atomicAdd(next_f + i, make_float2(0.f, 0.f));
#else
        const float2 r = make_float2(atomicAdd(&next_f[i].x, 0.f), 0.f);
#endif
        i = static_cast<unsigned>(r.x);
    }
    *cycles = clock64() - t0;
    *sink = i;
}

int main() {
    const std::size_t words = (8u << 20) / 4, hops = words / k_hop;
    std::vector<unsigned> order(hops);
    std::iota(order.begin(), order.end(), 0u);
    std::shuffle(order.begin() + 1, order.end(), std::mt19937(42));
    std::vector<unsigned> next(words, 0);
    std::vector<float2> next_f(words / 2, make_float2(0.f, 0.f));  // same bytes, 8 B elements
    for (std::size_t k = 0; k < hops; ++k) {
        const unsigned from = order[k] * k_hop, to = order[(k + 1) % hops] * k_hop;
        next[from] = to;
        next_f[from / 2].x = float(to / 2);
    }
    unsigned *d_next = nullptr, *sink = nullptr;
    float2* d_next_f = nullptr;
    long long* cycles = nullptr;
    CHECK(cudaMalloc(&d_next, words * 4));
    CHECK(cudaMalloc(&d_next_f, words * 4));
    CHECK(cudaMalloc(&sink, 4));
    CHECK(cudaMalloc(&cycles, 8));
    CHECK(cudaMemcpy(d_next, next.data(), words * 4, cudaMemcpyHostToDevice));
    CHECK(cudaMemcpy(d_next_f, next_f.data(), words * 4, cudaMemcpyHostToDevice));
    const int steps = 20000;
    const auto per_hop = [&](auto launch) {
        launch();  // warms the L2
        CHECK(cudaDeviceSynchronize());
        std::vector<double> v;
        for (int r = 0; r < 5; ++r) {
            launch();
            long long c = 0;
            CHECK(cudaMemcpy(&c, cycles, 8, cudaMemcpyDeviceToHost));
            v.push_back(double(c) / steps);
        }
        std::sort(v.begin(), v.end());
        return v[2];
    };
    std::printf("ld.global.cg chase:          %6.1f cycles per hop\n",
                per_hop([&] { chase_load<<<1, 1>>>(d_next, steps, sink, cycles); }));
    std::printf("atomicAdd(unsigned) chase:   %6.1f cycles per hop\n",
                per_hop([&] { chase_atomic<<<1, 1>>>(d_next, steps, sink, cycles); }));
    std::printf("atomicAdd(float2) chase:     %6.1f cycles per hop\n",
                per_hop([&] { chase_atomic_f2<<<1, 1>>>(d_next_f, steps, sink, cycles); }));
    return 0;
}
