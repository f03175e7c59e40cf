// How fast does HBM take a matrix written tile by tile, as a GEMM's epilogue writes its output?
// naive attention's S = QK^T (cuBLAS) stores an N x N bf16 matrix in 2D tiles: each CTA writes
// rows of a few hundred bytes, one row 2N bytes after the other. calibrate's HBM write rate comes
// from one contiguous stream. Here each CTA of 256 threads writes one tile of `rows` rows of
// `seg` bytes (16-byte stores, plain st.global as a GEMM epilogue's) into an N x N bf16 matrix
// (N = 16384: 512 MiB, 8.5 times the L2), tiles in row-major grid order and in column-major order,
// for row segments of 64 B to a whole row (contiguous). Timed as `flashscope validate` times
// kernels (held CUDA events), the L2 flushed of the previous run's dirty lines first.
// Built and run by scripts/tile-write-probe.sh.
#include <cuda_runtime.h>

#include <cstdio>

#include "held_timer.cuh"

namespace {

constexpr long long k_n = 16384;            // the matrix is k_n x k_n bf16
constexpr long long k_row_bytes = 2 * k_n;  // 32 KiB

// Tile t of a (k_n / rows) x (k_row_bytes / seg) grid of tiles; `column_major`: consecutive CTAs
// go down a tile column instead of along a tile row.
__global__ void write_tiles(uint4* out, int rows, int seg, bool column_major) {
    const long long tiles_per_row = k_row_bytes / seg;
    const long long tile_rows = k_n / rows;
    const long long t = blockIdx.x;
    const long long tr = column_major ? t % tile_rows : t / tiles_per_row;
    const long long tc = column_major ? t / tile_rows : t % tiles_per_row;
    const int words_per_row = seg / 16;
    const int words = rows * words_per_row;
    char* base = reinterpret_cast<char*>(out) + tr * rows * k_row_bytes + tc * seg;
    for (int w = threadIdx.x; w < words; w += blockDim.x) {
        const int r = w / words_per_row, c = w % words_per_row;
        *reinterpret_cast<uint4*>(base + r * k_row_bytes + c * 16) =
            make_uint4(unsigned(w), unsigned(t), 0u, 0u);
    }
}

__global__ void read_all(const uint4* in, long long words, unsigned* sink) {
    unsigned acc = 0;
    for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < words;
         i += (long long)gridDim.x * blockDim.x)
        acc ^= in[i].x;
    if (acc == 0x12345678u) *sink = acc;
}

}  // namespace

int main() {
    int sms = 0;
    CHECK(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, 0));
    const long long bytes = k_n * k_row_bytes;
    const long long flush_bytes = 512ll << 20;
    uint4 *out = nullptr, *flush = nullptr;
    unsigned* sink = nullptr;
    CHECK(cudaMalloc(&out, bytes));
    CHECK(cudaMalloc(&flush, flush_bytes));
    CHECK(cudaMalloc(&sink, 4));
    CHECK(cudaMemset(out, 0, bytes));
    CHECK(cudaMemset(flush, 1, flush_bytes));
    // Reading 512 MiB leaves the L2 clean and full of other lines.
    const auto flush_l2 = [&] { read_all<<<4 * sms, 256>>>(flush, flush_bytes / 16, sink); };
    HeldTimer t;
    std::printf("N x N bf16, N = %lld (%lld MiB), tiles of 256 threads\n", k_n, bytes >> 20);
    std::printf("rows  row_bytes  order         time_us   GB/s\n");
    const int shapes[][2] = {{128, 64},  {128, 128}, {128, 256}, {128, 512}, {64, 512},
                             {32, 1024}, {8, 4096},  {4, 8192},  {1, 32768}};
    for (const auto& s : shapes) {
        const int rows = s[0], seg = s[1];
        const long long tiles = bytes / (static_cast<long long>(rows) * seg);
        for (bool column_major : {false, true}) {
            const double us = t.us(
                [&] {
                    write_tiles<<<static_cast<unsigned>(tiles), 256>>>(out, rows, seg,
                                                                       column_major);
                },
                flush_l2);
            std::printf("%4d  %9d  %-12s %8.1f  %5.0f\n", rows, seg,
                        column_major ? "column-major" : "row-major", us, bytes / us / 1e3);
        }
    }
    CHECK(cudaGetLastError());
    CHECK(cudaDeviceSynchronize());
    return 0;
}
