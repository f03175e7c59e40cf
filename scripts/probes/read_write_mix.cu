// Does a kernel that reads HBM and writes the L2 at once pay for the two in parallel or in turn?
// CUDA-event times (held, as `flashscope validate` times kernels) of kernels that read R MiB,
// cold (the L2 flushed before each run), and store W MiB that need no read (full 16-byte stores of
// values independent of the loads), in two launch shapes:
//   - persistent: 8 CTAs of 256 threads per SM, grid-stride (one wave, no CTA starts after it),
//   - rows: one CTA of 256 threads per 8 KiB read, as flashscope's preprocess kernel launches.
// Also each mix warm (the kernel run just before: its reads L2 hits, its stores onto dirty lines).
// Built and run by scripts/read-write-mix-probe.sh.
#include <cuda_runtime.h>

#include <algorithm>
#include <cstdio>

#include "held_timer.cuh"

__global__ void mix_kernel(const uint4* in, long long in_words, uint4* out, long long out_words,
                           unsigned* sink) {
    unsigned acc = 0;
    const long long stride = (long long)gridDim.x * blockDim.x;
    const long long words = in_words > out_words ? in_words : out_words;
    for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < words; i += stride) {
        if (i < in_words) {
            const uint4 w = in[i];
            acc ^= w.x ^ w.y ^ w.z ^ w.w;
        }
        if (i < out_words) out[i] = make_uint4(unsigned(i), 0u, 0u, 0u);
    }
    if (acc == 0x12345678u) *sink = acc;
}

int main() {
    int sms = 0;
    CHECK(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, 0));
    const long long flush_bytes = 512ll << 20, max_bytes = 64ll << 20;
    char *flush = nullptr, *in = nullptr, *out = nullptr;
    unsigned* sink = nullptr;
    CHECK(cudaMalloc(&flush, flush_bytes));
    CHECK(cudaMalloc(&in, max_bytes));
    CHECK(cudaMalloc(&out, max_bytes));
    CHECK(cudaMalloc(&sink, 4));
    CHECK(cudaMemset(in, 1, max_bytes));
    CHECK(cudaMemset(out, 0, max_bytes));
    const auto flush_l2 = [&] {
        CHECK(cudaMemsetAsync(flush, 3, flush_bytes));
        mix_kernel<<<4 * sms, 256>>>(reinterpret_cast<const uint4*>(flush), flush_bytes / 16,
                                     nullptr, 0, sink);  // a read: no stores
    };
    HeldTimer t;
    std::printf(
        "read_MiB  write_MiB  persistent_cold_us  persistent_warm_us  rows_cold_us  "
        "rows_warm_us\n");
    const int pairs[][2] = {{8, 0},   {0, 8},  {8, 8},  {16, 0},  {0, 16},
                            {16, 16}, {32, 0}, {0, 32}, {32, 32}, {16, 32},
                            {32, 16}, {64, 0}, {0, 64}, {4, 4},   {2, 2}};
    for (const auto& p : pairs) {
        const long long in_words = (static_cast<long long>(p[0]) << 20) / 16;
        const long long out_words = (static_cast<long long>(p[1]) << 20) / 16;
        const long long words = std::max(in_words, out_words);
        const auto run = [&](int grid) {
            return [&, grid] {
                mix_kernel<<<grid, 256>>>(reinterpret_cast<const uint4*>(in), in_words,
                                          reinterpret_cast<uint4*>(out), out_words, sink);
            };
        };
        const int persistent = 8 * sms;
        const int rows = static_cast<int>((words + 511) / 512);  // 8 KiB = 512 words per CTA
        const auto warm_up = [&](int grid) { return [&, grid] { run(grid)(); }; };
        std::printf("%8d  %9d  %18.2f  %18.2f  %12.2f  %12.2f\n", p[0], p[1],
                    t.us(run(persistent), flush_l2), t.us(run(persistent), warm_up(persistent)),
                    t.us(run(rows), flush_l2), t.us(run(rows), warm_up(rows)));
    }
    CHECK(cudaDeviceSynchronize());
    return 0;
}
