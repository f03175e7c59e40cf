// Does what the bytes hold change how fast HBM moves them? calibrate measures HBM read, write and
// copy rates over buffers of constant or half-zero words (cudaMemset to 1; stores of (i, r, 0, 0)),
// while attention's S and P are full 16-bit values. Here 4 GiB streams (ld/st.global.cs, as
// calibrate's) over zeros, calibrate's patterns, bf16 values of a unit normal, and random bits;
// each the median of 5 event-timed runs after a warm-up. Built and run by
// scripts/hbm-data-probe.sh.
#include <cuda_runtime.h>

#include <cstdio>
#include <cstdlib>

#include "probe_check.cuh"
#include "probe_timing.cuh"

namespace {

enum class Fill : int { zeros, calibrate, normal_bf16, random_bits };
const char* name(Fill f) {
    switch (f) {
        case Fill::zeros:
            return "zeros";
        case Fill::calibrate:
            return "calibrate's";
        case Fill::normal_bf16:
            return "bf16 N(0,1)";
        case Fill::random_bits:
            return "random bits";
    }
    return "?";
}

// A cheap 32-bit hash (two multiplies): the write stream stays memory-bound.
__device__ unsigned hash32(unsigned x) {
    x *= 0x9e3779b1u;
    x ^= x >> 15;
    x *= 0x85ebca6bu;
    return x ^ (x >> 13);
}

// Two bf16 of roughly unit-normal magnitude from one hash: sign and 7-bit mantissa random,
// exponent 2^-3..2^0 (ten bits each).
__device__ unsigned normal_bf16_pair(unsigned h) {
    const auto one = [](unsigned r) {
        return ((r >> 9) & 1u) << 15 | (124u + ((r >> 7) & 3u)) << 7 | (r & 0x7fu);
    };
    return one(h) | one(h >> 16) << 16;
}

__device__ uint4 word(Fill fill, long long i, int r) {
    if (fill == Fill::zeros) return make_uint4(0, 0, 0, 0);
    if (fill == Fill::calibrate) return make_uint4(unsigned(i), unsigned(r), 0u, 0u);
    unsigned v[4];
    for (int k = 0; k < 4; ++k) {
        const unsigned h = hash32(unsigned(4 * i + k) ^ (unsigned(r) << 28));
        v[k] = fill == Fill::random_bits ? h : normal_bf16_pair(h);
    }
    return make_uint4(v[0], v[1], v[2], v[3]);
}

__global__ void write_kernel(uint4* data, long long n, Fill fill, int round) {
    const long long stride = (long long)gridDim.x * blockDim.x;
    for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < n; i += stride)
        __stcs(data + i, word(fill, i, round));
}

__global__ void read_kernel(const uint4* data, long long n, unsigned* sink) {
    const long long stride = (long long)gridDim.x * blockDim.x;
    unsigned acc = 0;
    for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < n; i += stride) {
        const uint4 v = __ldcs(data + i);
        acc ^= v.x ^ v.y ^ v.z ^ v.w;
    }
    if (acc == 0x12345u) *sink = acc;
}

__global__ void copy_kernel(const uint4* in, uint4* out, long long n) {
    const long long stride = (long long)gridDim.x * blockDim.x;
    for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < n; i += stride)
        __stcs(out + i, __ldcs(in + i));
}

}  // namespace

int main() {
    cudaDeviceProp prop{};
    CHECK(cudaGetDeviceProperties(&prop, 0));
    const long long bytes = 4ll << 30, n = bytes / 16;
    uint4 *a = nullptr, *b = nullptr;
    unsigned* sink = nullptr;
    CHECK(cudaMalloc(&a, bytes));
    CHECK(cudaMalloc(&b, bytes));
    CHECK(cudaMalloc(&sink, sizeof(unsigned)));
    const int grid = prop.multiProcessorCount * 8, block = 256;
    std::printf("# %s: 4 GiB streams (ld/st.global.cs, %d CTAs of %d), GB/s (reads + writes)\n",
                prop.name, grid, block);
    std::printf("%-12s %10s %10s %10s\n", "data", "write", "read", "copy");
    for (Fill fill : {Fill::zeros, Fill::calibrate, Fill::normal_bf16, Fill::random_bits}) {
        int round = 0;
        const double write =
            median_event_seconds([&] { write_kernel<<<grid, block>>>(a, n, fill, ++round); }, 5);
        write_kernel<<<grid, block>>>(a, n, fill, 0);
        const double read =
            median_event_seconds([&] { read_kernel<<<grid, block>>>(a, n, sink); }, 5);
        const double copy = median_event_seconds([&] { copy_kernel<<<grid, block>>>(a, b, n); }, 5);
        std::printf("%-12s %10.0f %10.0f %10.0f\n", name(fill), bytes / write / 1e9,
                    bytes / read / 1e9, 2 * bytes / copy / 1e9);
    }
    CHECK(cudaFree(a));
    CHECK(cudaFree(b));
    CHECK(cudaFree(sink));
    return 0;
}
