#pragma once
// A (kRows, kCols) tile of 16-bit elements in shared memory, row-major with each row's 16-byte
// chunks XOR-swizzled by the row index, so that ldmatrix (8 rows x 16 bytes) and the cp.async
// stores hit 8 different bank groups.
#include <cstdint>

#include "mma.cuh"

namespace flashscope::kernels::device {

template <int kRows, int kCols>
struct SmemTile {
    static_assert(kCols % 8 == 0, "rows are made of 16-byte chunks");
    static constexpr int k_chunks = kCols / 8;
    static constexpr int k_mask = (k_chunks % 8 == 0)   ? 7
                                  : (k_chunks % 4 == 0) ? 3
                                  : (k_chunks % 2 == 0) ? 1
                                                        : 0;
    static constexpr int k_elements = kRows * kCols;
    static constexpr int k_bytes = k_elements * 2;

    // Element offset of (row, col).
    static __device__ __forceinline__ int offset(int row, int col) {
        return row * kCols + ((((col >> 3) ^ (row & k_mask))) << 3) + (col & 7);
    }

    // Address for ldmatrix of a 16x16 block at (row0, col0), lanes 0-15 rows row0.., lanes 16-31
    // the right 8 columns. Used for A (non-trans) and for B from a (k, n) row-major tile (trans).
    static __device__ __forceinline__ std::uint32_t address_a(std::uint32_t base, int row0,
                                                              int col0, int lane) {
        return base + 2u * static_cast<std::uint32_t>(
                               offset(row0 + (lane & 15), col0 + ((lane >> 4) << 3)));
    }
    // Address for ldmatrix of two 8-row blocks at (row0, col0): registers {0,1} rows row0..row0+7,
    // {2,3} rows row0+8..; used for B from an (n, k) row-major tile (non-trans) and for A from
    // a (k, m) row-major tile (trans).
    static __device__ __forceinline__ std::uint32_t address_b(std::uint32_t base, int row0,
                                                              int col0, int lane) {
        return base + 2u * static_cast<std::uint32_t>(offset(row0 + (lane & 7) + ((lane >> 4) << 3),
                                                             col0 + (((lane >> 3) & 1) << 3)));
    }

    // Cheap addressing of a sequence of ldmatrix blocks. `lane_base` is address_a or address_b of
    // the block at (row0, 0); the same kind of block at (row0 + drow, col0) is then at
    // step(lane_base, drow, col0) for drow a multiple of 16 and col0 a multiple of 16: the lane's
    // swizzled chunk (chunk ^ row) differs only in the XORed low chunk bits, and the rest is a
    // constant offset. This needs the tile's base aligned to (k_mask + 1) * 16 bytes, so that those
    // address bits are the lane's alone (every tile here starts at a multiple of 128 bytes).
    // With drow and col0 compile-time constants, an address is one XOR and an immediate offset.
    // lane_base may also carry a run-time column offset, provided its chunk bits and col0's do not
    // overlap (e.g. a multiple of 64 columns, or of 32 columns with col0 < 32).
    static __device__ __forceinline__ std::uint32_t step(std::uint32_t lane_base, int drow,
                                                         int col0) {
        const int chunk = col0 >> 3;
        return (lane_base ^ static_cast<std::uint32_t>((chunk & k_mask) << 4)) +
               static_cast<std::uint32_t>((chunk & ~k_mask) * 16 + drow * k_chunks * 16);
    }
};

// Cooperative cp.async of rows [row0, row0 + kRows) of a global (rows, kCols) matrix with the given
// row stride (elements) into a SmemTile; rows at or past row_count are zero-filled.
// Written so that the compiler unrolls it into straight-line copies: the pass count is a
// compile-time constant, and where the CTA's threads cover whole rows each thread keeps one 16-byte
// column and steps a fixed number of rows per pass, so its global address is one base plus a
// stride per pass and its shared address one base plus a constant. (A loop starting at the thread
// index stays rolled and recomputes row, column, the 64-bit offset and the swizzle for every chunk:
// about 27 SASS instructions per copy against about 9, scripts/sass-classes.py.)
template <int kRows, int kCols, int kThreads, typename T>
__device__ __forceinline__ void load_tile_async(T* smem, const T* global, std::int64_t row_stride,
                                                std::int64_t row0, std::int64_t row_count,
                                                int thread) {
    using Tile = SmemTile<kRows, kCols>;
    constexpr int k_total = kRows * Tile::k_chunks;
    const std::uint32_t base = smem_address(smem);
    // Rows of the tile that exist in the matrix, clamped to the tile so that 32 bits hold it.
    const std::int64_t left = row_count - row0;
    const int rows_valid = left <= 0 ? 0 : (left >= kRows ? kRows : static_cast<int>(left));
    if constexpr (kThreads % Tile::k_chunks == 0 &&
                  (kThreads / Tile::k_chunks) % (Tile::k_mask + 1) == 0) {
        // Each pass moves whole rows, a multiple of the swizzle period: the thread's swizzled
        // chunk is the same in every pass.
        constexpr int k_rows_per_pass = kThreads / Tile::k_chunks;
        const int r = thread / Tile::k_chunks;
        const int c = (thread % Tile::k_chunks) * 8;
        const T* src = global + (row0 + r) * row_stride + c;
        const std::int64_t pass_stride = k_rows_per_pass * row_stride;
        const std::uint32_t dst = base + 2u * static_cast<std::uint32_t>(Tile::offset(r, c));
        constexpr int k_passes = (k_total + kThreads - 1) / kThreads;
#pragma unroll
        for (int p = 0; p < k_passes; ++p) {
            const int row = r + p * k_rows_per_pass;
            if (k_total % kThreads != 0 && row >= kRows) break;
            const bool valid = row < rows_valid;
            cp_async_16(dst + 2u * static_cast<std::uint32_t>(p * k_rows_per_pass * kCols),
                        valid ? src + p * pass_stride : global, valid);
        }
    } else {
        // Rows per pass off the swizzle period (e.g. 64 threads on d = 128 rows): every pass
        // would need its own swizzled offset, and unrolled those addresses cost the
        // register-bound kernels more spills than the rolled loop costs instructions (the flash2
        // backward's 64x32, 2-warp d = 128 tile ran 20-28 % slower unrolled on the H200).
        for (int i = thread; i < k_total; i += kThreads) {
            const int r = i / Tile::k_chunks;
            const int c = (i % Tile::k_chunks) * 8;
            const bool valid = r < rows_valid;
            const T* src = valid ? global + (row0 + r) * row_stride + c : global;
            cp_async_16(base + 2u * static_cast<std::uint32_t>(Tile::offset(r, c)), src, valid);
        }
    }
}

}  // namespace flashscope::kernels::device
