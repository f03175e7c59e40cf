// Do ldmatrix and MUFU share a sub-partition's MIO queue? Nsight Compute's source page of flash2's
// forward at 128x128 with 8 warps (docs/validation/h200-2026-12-01T1642-model-probe.tgz) charges
// its MUFU.EX2 with `mio_throttle` (8.7 % of all samples) and its HMMA with `short_scoreboard`
// (20 %): the MUFU waits for the queue that the LDSM fill, and the HMMA for the LDSM's data. The
// issue model gives MUFU a pipe of its own. Here one CTA of 8 or 16 warps per SM: the first half
// streams independent ldmatrix.x4 (conflict-free, 4 in flight per warp), the second half runs
// `Other` (8 independent chains per thread of ex2, shfl.bfly, FFMA or lds.128); each half alone,
// then both at once, each timed by itself (the median over SMs of clock64 spans, then over runs).
// "mixed": the same warps do both, one ldmatrix.x4 and `ratio` ex2 per slot in program order, as
// a flash2 warp does. Built and run by scripts/mio-share-probe.sh.
#include <cuda_runtime.h>

#include <algorithm>
#include <cstdio>
#include <vector>

#include "pipe_ops.cuh"
#include "probe_check.cuh"
#include "probe_timing.cuh"

namespace {

using namespace flashscope::ceilings;

enum class Other : int { none, ex2, shfl, ffma, lds };
constexpr int k_chains = 8;
constexpr int k_loads = 4;                // ldmatrix.x4 in flight per warp per slot
constexpr int k_smem_bytes = 160 * 1024;  // one CTA per SM

__device__ __forceinline__ unsigned lds_first(unsigned address) {
    return lds128(address).x;
}

// Part 0 (warps [0, half)): `load_iters` slots of k_loads ldmatrix.x4; part 1: `other_iters`
// slots of k_chains steps of `Op`. Thread 0 / 1 write each part's latest end.
template <Other Op>
__global__ void __launch_bounds__(512, 1)
    share_kernel(int load_iters, int other_iters, unsigned step, unsigned* sink,
                 long long* cycles) {
    extern __shared__ uint4 smem[];
    __shared__ unsigned long long part_end[2];
    const unsigned warp = threadIdx.x / 32, lane = threadIdx.x % 32;
    for (unsigned i = threadIdx.x; i < 4096; i += blockDim.x) smem[i] = make_uint4(i, i + 1, 0, 0);
    if (threadIdx.x < 2) part_end[threadIdx.x] = 0;
    const unsigned half = blockDim.x / 64;
    const int part = warp < half ? 0 : 1;
    const unsigned base = shared_address(smem) + ((warp % half) * k_loads * 32 + lane) * 16;
    unsigned acc = 0;
    float x[k_chains];
    unsigned u[k_chains];
#pragma unroll
    for (int k = 0; k < k_chains; ++k) {
        x[k] = -1.0f - float(k);
        u[k] = threadIdx.x * 2654435761u + unsigned(k);
    }
    __syncthreads();
    const long long t0 = clock64();
    unsigned offset = 0;
    if (part == 0) {
        for (int it = 0; it < load_iters; ++it) {
#pragma unroll
            for (int j = 0; j < k_loads; ++j) {
                const uint4 r = ldmatrix_x4(base + offset + j * 512);
                acc = xor3(acc, r.x, r.w);
            }
            offset = (offset + step) & 0x3ff0u;
        }
    } else {
        for (int it = 0; it < other_iters; ++it) {
#pragma unroll
            for (int k = 0; k < k_chains; ++k) {
                if constexpr (Op == Other::ex2) x[k] = ex2(x[k]);
                if constexpr (Op == Other::shfl) u[k] = shfl_bfly(u[k]);
                if constexpr (Op == Other::ffma) x[k] = ffma(x[k], 0.999f, 1e-3f);
                if constexpr (Op == Other::lds)
                    u[k] ^= lds_first(base + ((offset + u[k] * 0u + k * 512) & 0x3ff0u));
            }
            offset = (offset + step) & 0x3ff0u;
        }
    }
    const long long end = clock64();
    if (lane == 0) atomicMax(&part_end[part], static_cast<unsigned long long>(end - t0));
    __syncthreads();
    if (threadIdx.x < 2)
        cycles[2 * blockIdx.x + threadIdx.x] = static_cast<long long>(part_end[threadIdx.x]);
    float s = float(acc);
#pragma unroll
    for (int k = 0; k < k_chains; ++k) s += x[k] + float(u[k]);
    if (s == 1.25f) sink[blockIdx.x] = 1;
}

// Every warp: `iters` slots of one ldmatrix.x4 and `ratio` ex2 (of 8 chains), in program order.
template <int Ratio>
__global__ void __launch_bounds__(512, 1)
    mixed_kernel(int iters, int unused, unsigned step, unsigned* sink, long long* cycles) {
    extern __shared__ uint4 smem[];
    __shared__ unsigned long long part_end[2];
    const unsigned warp = threadIdx.x / 32, lane = threadIdx.x % 32;
    for (unsigned i = threadIdx.x; i < 4096; i += blockDim.x) smem[i] = make_uint4(i, i + 1, 0, 0);
    if (threadIdx.x < 2) part_end[threadIdx.x] = 0;
    const unsigned base = shared_address(smem) + ((warp % 4) * k_loads * 32 + lane) * 16;
    unsigned acc = 0;
    float x[k_chains];
#pragma unroll
    for (int k = 0; k < k_chains; ++k) x[k] = -1.0f - float(k);
    __syncthreads();
    const long long t0 = clock64();
    unsigned offset = 0;
    for (int it = 0; it < iters; ++it) {
#pragma unroll
        for (int j = 0; j < k_loads; ++j) {
            const uint4 r = ldmatrix_x4(base + offset + j * 512);
            acc = xor3(acc, r.x, r.w);
#pragma unroll
            for (int k = 0; k < Ratio; ++k)
                x[(j * Ratio + k) % k_chains] = ex2(x[(j * Ratio + k) % k_chains]);
        }
        offset = (offset + step) & 0x3ff0u;
    }
    const long long end = clock64();
    if (lane == 0) atomicMax(&part_end[0], static_cast<unsigned long long>(end - t0));
    __syncthreads();
    if (threadIdx.x < 2) cycles[2 * blockIdx.x + threadIdx.x] = static_cast<long long>(part_end[0]);
    float s = float(acc) + float(unused);
#pragma unroll
    for (int k = 0; k < k_chains; ++k) s += x[k];
    if (s == 1.25f) sink[blockIdx.x] = 1;
}

struct Parts {
    double load = 0, other = 0;
};

template <class Kernel>
Parts run(Kernel kernel, int threads, int load_iters, int other_iters) {
    int sms = 0;
    CHECK(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, 0));
    CHECK(cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, k_smem_bytes));
    unsigned* sink = nullptr;
    long long* cycles = nullptr;
    CHECK(cudaMalloc(&sink, sms * sizeof(unsigned)));
    CHECK(cudaMalloc(&cycles, 2 * sms * sizeof(long long)));
    std::vector<double> load_runs, other_runs;
    for (int r = 0; r < 6; ++r) {
        kernel<<<sms, threads, k_smem_bytes>>>(load_iters, other_iters, 0u, sink, cycles);
        CHECK(cudaGetLastError());
        CHECK(cudaDeviceSynchronize());
        const PartSpans spans = part_spans(cycles, sms);
        if (r == 0) continue;  // warm-up
        load_runs.push_back(spans.first);
        other_runs.push_back(spans.second);
    }
    std::sort(load_runs.begin(), load_runs.end());
    std::sort(other_runs.begin(), other_runs.end());
    CHECK(cudaFree(sink));
    CHECK(cudaFree(cycles));
    return {load_runs[load_runs.size() / 2], other_runs[other_runs.size() / 2]};
}

// One line: each part alone, both at once, and the share of the shorter part hidden under the
// longer (1: separate queues and pipes; 0: the two take turns).
template <Other Op>
void pair(const char* name, int threads, int load_iters, int other_iters) {
    const Parts load = run(share_kernel<Op>, threads, load_iters, 0);
    const Parts other = run(share_kernel<Op>, threads, 0, other_iters);
    const Parts both = run(share_kernel<Op>, threads, load_iters, other_iters);
    const double shorter = std::min(load.load, other.other);
    const double together = std::max(both.load, both.other);
    std::printf(
        "%-6s %2d warps/SMSP  ldmatrix alone %8.0f  %-5s alone %8.0f  both %8.0f "
        "(ldmatrix %8.0f, %s %8.0f)  hidden %.2f\n",
        name, threads / 64 / 4, load.load, name, other.other, together, both.load, name, both.other,
        shorter > 0 ? (load.load + other.other - together) / shorter : 0.0);
}

template <int Ratio>
void mixed(int threads, int iters) {
    const Parts m = run(mixed_kernel<Ratio>, threads, iters, 0);
    std::printf(
        "mixed  %2d warps/SMSP  1 ldmatrix.x4 + %d ex2 per slot: %6.2f cycles per slot per "
        "warp\n",
        threads / 32 / 4, Ratio, m.load / (double(iters) * k_loads));
}

}  // namespace

int main() {
    cudaDeviceProp prop{};
    CHECK(cudaGetDeviceProperties(&prop, 0));
    std::printf("# %s, %d SMs; cycles of each part (median over SMs and 5 runs)\n", prop.name,
                prop.multiProcessorCount);
    // 4096 slots of 4 ldmatrix.x4 per warp: at 128 B/clk per SM about 65k cycles with 4 warps;
    // ex2 at 16/clk/SM: 8192 slots of 8 take about 65k cycles with 4 warps.
    for (int threads : {256, 512}) {
        pair<Other::ex2>("ex2", threads, 4096, 8192);
        pair<Other::shfl>("shfl", threads, 4096, 4096);
        pair<Other::ffma>("ffma", threads, 4096, 65536);
        pair<Other::lds>("lds", threads, 4096, 2048);
    }
    for (int threads : {128, 256}) {
        mixed<0>(threads, 4096);
        mixed<1>(threads, 4096);
        mixed<2>(threads, 4096);
        mixed<4>(threads, 4096);
    }
    return 0;
}
