#pragma once
// Warpgroup matrix multiply (wgmma, sm_90a): shared-memory operand descriptors for tiles stored
// with the 128-byte swizzle, and the fence / commit / wait steps around the asynchronous MMAs.
//
// Shared-memory tiles: a (rows, cols) tile of 16-bit elements is stored as cols / 64 panels, each
// (rows, 64) elements: one 128-byte row per tile row, 16-byte chunks XOR-swizzled by (row % 8),
// panels rows * 128 bytes apart, every panel 1024-byte aligned. The copy engine writes exactly
// this with CU_TENSOR_MAP_SWIZZLE_128B and a (64, rows) box per panel.
//
// Sequence per use: fence() (registers the MMA reads are ready), the MMAs, commit() (closes a
// group), wait<N>() (at most N groups still running). Accumulator registers must not be touched
// between issue and wait; fence_operands() tells the compiler so.
#include <cstdint>

#include "device/sm90/wgmma_ops.cuh"

namespace flashscope::kernels::device::sm90 {

inline constexpr std::uint32_t k_swizzle_row_bytes = 128;    // one swizzled row of a panel
inline constexpr std::uint32_t k_swizzle_atom_bytes = 1024;  // 8 rows: the swizzle period

__device__ __forceinline__ std::uint64_t descriptor_field(std::uint32_t bytes) {
    return (bytes & 0x3FFFFu) >> 4;  // 14 bits in 16-byte units
}

__device__ __forceinline__ std::uint64_t make_descriptor(std::uint32_t address,
                                                         std::uint32_t leading_bytes,
                                                         std::uint32_t stride_bytes) {
    constexpr std::uint64_t k_swizzle_128b = 1;
    return descriptor_field(address) | descriptor_field(leading_bytes) << 16 |
           descriptor_field(stride_bytes) << 32 | k_swizzle_128b << 62;
}

// A K-major operand (A, or B given as rows of B^T: Q and K for S = QK^T) starting at `address`:
// 8-row groups 1024 bytes apart; the leading offset is unused with swizzling. One MMA reads 16
// elements (32 bytes) of each row: step k within a panel by adding 32 * k bytes to the address.
__device__ __forceinline__ std::uint64_t k_major_descriptor(std::uint32_t address) {
    return make_descriptor(address, 16, k_swizzle_atom_bytes);
}

// An N-major B operand (V for O = PV: rows are K, the 64-element panels run along N): panels
// `panel_bytes` apart along N, 8-row K groups 1024 bytes apart. One MMA reads 16 rows: step k by
// adding 16 * 128 bytes.
__device__ __forceinline__ std::uint64_t n_major_descriptor(std::uint32_t address,
                                                            std::uint32_t panel_bytes) {
    return make_descriptor(address, panel_bytes, k_swizzle_atom_bytes);
}

__device__ __forceinline__ void fence() {
    asm volatile("wgmma.fence.sync.aligned;\n" ::: "memory");
}

__device__ __forceinline__ void commit() {
    asm volatile("wgmma.commit_group.sync.aligned;\n" ::: "memory");
}

template <int kPending>
__device__ __forceinline__ void wait() {
    asm volatile("wgmma.wait_group.sync.aligned %0;\n" ::"n"(kPending) : "memory");
}

// Keeps the compiler from moving reads or writes of these registers across this point.
template <int N>
__device__ __forceinline__ void fence_operands(float (&r)[N]) {
#pragma unroll
    for (int i = 0; i < N; ++i) asm volatile("" : "+f"(r[i])::"memory");
}

template <int N>
__device__ __forceinline__ void fence_operands(std::uint32_t (&r)[N]) {
#pragma unroll
    for (int i = 0; i < N; ++i) asm volatile("" : "+r"(r[i])::"memory");
}

template <int N, int M>
__device__ __forceinline__ void fence_operands(std::uint32_t (&r)[N][M]) {
#pragma unroll
    for (int i = 0; i < N; ++i) fence_operands(r[i]);
}

// Declares the registers' old values dead, emitting no instruction: for an accumulator that the
// next MMA overwrites (accumulate = 0). The wrappers take accumulators as read-write operands, so
// without this the compiler keeps a dead tile alive until that MMA is issued.
template <int N>
__device__ __forceinline__ void discard(float (&r)[N]) {
#pragma unroll
    for (int i = 0; i < N; ++i) asm volatile("" : "=f"(r[i]));
}

// The same value, but opaque to the compiler: a shared-memory address passed through this inside a
// loop keeps the compiler from computing every wgmma descriptor made from it once before the loop
// and holding them all in registers (two each) across it; each is rebuilt next to its use instead.
__device__ __forceinline__ std::uint32_t unhoisted(std::uint32_t value) {
    std::uint32_t out;
    asm volatile("mov.b32 %0, %1;\n" : "=r"(out) : "r"(value));
    return out;
}

// Stores four 8x8 tiles of 16-bit elements transposed (stmatrix .trans, sm_90): tile j is
// register j in the m16n8k16 fragment layout (lane t holds row t / 4, columns 2 (t % 4), + 1); lane
// 8j + i gives the address of the 16 bytes that receive tile j's column i.
__device__ __forceinline__ void stmatrix_x4_trans(std::uint32_t address,
                                                  const std::uint32_t (&r)[4]) {
    asm volatile(
        "stmatrix.sync.aligned.m8n8.x4.trans.shared.b16 [%0], {%1, %2, %3, %4};\n" ::"r"(address),
        "r"(r[0]), "r"(r[1]), "r"(r[2]), "r"(r[3])
        : "memory");
}

// ptxas schedules a wgmma wait as early as the registers allow, so a wait placed after the
// softmax lands before its exponentials and nothing overlaps the MMA. A clock read is a point
// ptxas moves no instruction across; storing its value under `never` (false at run time, unknown to
// ptxas) keeps the read. Call it right before the wait.
__device__ __forceinline__ void hold_next_wait_here(bool never, std::uint32_t address) {
    std::uint32_t clock;
    asm volatile("mov.u32 %0, %%clock;\n" : "=r"(clock)::"memory");
    if (never) asm volatile("st.shared.u32 [%0], %1;\n" ::"r"(address), "r"(clock) : "memory");
}

}  // namespace flashscope::kernels::device::sm90
