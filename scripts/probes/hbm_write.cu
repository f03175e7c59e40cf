// How fast do kernels write HBM? calibrate's hbm_write_bandwidth_gbps streams st.global.cs (evict
// first) over 4 GiB; the kernels flashscope models store with the default policy (st.global,
// write-back into the L2), and cuBLAS's GEMMs write 2-D tiles. GB/s of each, 4 GiB written three
// times (and copies of 2 GiB: bytes read plus written), one launch of 8 CTAs of 256 threads per SM.
// Built and run by scripts/hbm-write-probe.sh.
#include <cuda_runtime.h>

#include <cstdio>
#include <cstdlib>
#include <functional>

#include "probe_check.cuh"
#include "probe_timing.cuh"
#include "stream_kernels.cuh"

using flashscope::ceilings::streams::copy;
using flashscope::ceilings::streams::Policy;
using flashscope::ceilings::streams::write;

// A GEMM epilogue's pattern: the output is a (rows x cols) bf16 matrix in row-major order; each
// CTA writes whole (128 x 256) tiles, 16 B per thread, a tile's rows 512 B long at the row stride.
__global__ void write_tiles(uint4* data, long long rows, long long cols, int repeats) {
    const long long tile_rows = 128, tile_cols = 256;  // elements of 2 B
    const long long row_words = cols * 2 / 16, tile_row_words = tile_cols * 2 / 16;  // 32
    const long long tiles_c = cols / tile_cols, tiles = rows / tile_rows * tiles_c;
    for (int r = 0; r < repeats; ++r)
        for (long long t = blockIdx.x; t < tiles; t += gridDim.x) {
            const long long r0 = t / tiles_c * tile_rows, c0 = t % tiles_c * tile_row_words;
            for (long long k = threadIdx.x; k < tile_rows * tile_row_words; k += blockDim.x) {
                const long long row = r0 + k / tile_row_words, col = c0 + k % tile_row_words;
                data[row * row_words + col] = make_uint4(unsigned(k), unsigned(r), 0u, 0u);
            }
        }
}

int main() {
    int sms = 0;
    CHECK(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, 0));
    const long long bytes = 4ll << 30, n = bytes / 16;
    uint4 *a = nullptr, *b = nullptr;
    CHECK(cudaMalloc(&a, bytes));
    CHECK(cudaMalloc(&b, bytes));
    CHECK(cudaMemset(a, 1, bytes));
    CHECK(cudaMemset(b, 1, bytes));
    const int grid = 8 * sms, repeats = 3;
    const auto gbps = [&](double moved, const std::function<void()>& launch) {
        return moved * repeats / median_event_seconds(launch, 3) / 1e9;
    };
    std::printf("write, st.global.cs (calibrate):  %6.0f GB/s\n", gbps(double(bytes), [&] {
                    write<Policy::streaming><<<grid, 256>>>(a, n, repeats);
                }));
    std::printf("write, st.global (default):       %6.0f GB/s\n",
                gbps(double(bytes), [&] { write<Policy::plain><<<grid, 256>>>(a, n, repeats); }));
    // 4 GiB as a bf16 matrix of 16384 columns (a score matrix's row length at seq 16384).
    const long long cols = 16384, rows = bytes / 2 / cols;
    std::printf("write, 128x256 bf16 tiles:        %6.0f GB/s\n",
                gbps(double(bytes), [&] { write_tiles<<<grid, 256>>>(a, rows, cols, repeats); }));
    const long long half = n / 2;
    std::printf("copy, ld/st.global.cs (calibrate): %6.0f GB/s read plus written\n",
                gbps(2.0 * double(half) * 16,
                     [&] { copy<Policy::streaming><<<grid, 256>>>(a, b, half, repeats); }));
    std::printf("copy, ld/st.global (default):      %6.0f GB/s read plus written\n",
                gbps(2.0 * double(half) * 16,
                     [&] { copy<Policy::plain><<<grid, 256>>>(a, b, half, repeats); }));
    return 0;
}
