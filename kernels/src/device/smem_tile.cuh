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
    static __device__ __forceinline__ std::uint32_t step(std::uint32_t lane_base, int drow,
                                                         int col0) {
        const int chunk = col0 >> 3;
        return (lane_base ^ static_cast<std::uint32_t>((chunk & k_mask) << 4)) +
               static_cast<std::uint32_t>((chunk & ~k_mask) * 16 + drow * k_chunks * 16);
    }
};

// Cooperative cp.async of rows [row0, row0 + kRows) of a global (rows, kCols) matrix with the given
// row stride (elements) into a SmemTile; rows at or past row_count are zero-filled.
template <int kRows, int kCols, int kThreads, typename T>
__device__ __forceinline__ void load_tile_async(T* smem, const T* global, std::int64_t row_stride,
                                                std::int64_t row0, std::int64_t row_count,
                                                int thread) {
    using Tile = SmemTile<kRows, kCols>;
    constexpr int k_total = kRows * Tile::k_chunks;
    const std::uint32_t base = smem_address(smem);
#pragma unroll
    for (int i = thread; i < k_total; i += kThreads) {
        const int r = i / Tile::k_chunks;
        const int c = (i % Tile::k_chunks) * 8;
        const std::int64_t grow = row0 + r;
        const bool valid = grow < row_count;
        const T* src = valid ? global + grow * row_stride + c : global;
        cp_async_16(base + 2u * static_cast<std::uint32_t>(Tile::offset(r, c)), src, valid);
    }
}

}  // namespace flashscope::kernels::device
