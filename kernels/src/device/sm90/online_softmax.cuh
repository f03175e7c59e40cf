#pragma once
// The online softmax on one warpgroup's S tile as wgmma leaves it in registers, and the conversion
// of P into the A operand of the next wgmma.
//
// Accumulator layout of wgmma m64nN (fp32, N / 2 per thread; warp w of the warpgroup holds rows
// 16w .. 16w + 15, g = lane / 4, t = lane % 4): s[4c + e] is row 16w + g + 8 * (e / 2), column
// 8c + 2t + e % 2. So each thread holds parts of two rows (h = 0, 1) and a row's values are spread
// over the four lanes of a quad, as with mma.sync.
#include <cmath>
#include <cstdint>

#include "device/mma.cuh"
#include "device/softmax.cuh"

namespace flashscope::kernels::device::sm90 {

// Where one K/V block sits relative to this thread's rows, for masking (32-bit, block-relative).
struct BlockMask {
    bool active = false;  // false: nothing to mask in this block
    int key_limit = 0;    // columns >= key_limit are past seq_k
    int diagonal = 0;     // causal: column c is hidden from this thread's row r (0 or 8 below the
                          // thread's first row) when c > r + diagonal
};

// Scales S to log2 units, masks, updates the running max and sum and turns S into P in place.
// `correction` (per row) is what O accumulated so far must be multiplied by.
template <int kN>
__device__ __forceinline__ void online_softmax(float (&s)[kN / 2], float (&row_max)[2],
                                               float (&row_sum)[2], float (&correction)[2],
                                               float scale_log2, const BlockMask& mask, int lane) {
    constexpr int k_chunks = kN / 8;
#pragma unroll
    for (int c = 0; c < k_chunks; ++c)
#pragma unroll
        for (int e = 0; e < 4; ++e) {
            float& x = s[4 * c + e];
            x *= scale_log2;
            if (mask.active) {
                const int col = 8 * c + 2 * (lane % 4) + e % 2;
                const int row = 8 * (e / 2);
                if (col >= mask.key_limit || col > row + mask.diagonal) x = -INFINITY;
            }
        }
#pragma unroll
    for (int h = 0; h < 2; ++h) {
        float block_max = -INFINITY;
#pragma unroll
        for (int c = 0; c < k_chunks; ++c)
            block_max = fmaxf(block_max, fmaxf(s[4 * c + 2 * h], s[4 * c + 2 * h + 1]));
        block_max = quad_max(block_max);
        const float new_max = fmaxf(row_max[h], block_max);
        const float base = new_max == -INFINITY ? 0.f : new_max;  // row fully masked so far
        correction[h] = fast_exp2(row_max[h] - base);
        row_max[h] = new_max;
        float sum = 0.f;
#pragma unroll
        for (int c = 0; c < k_chunks; ++c)
#pragma unroll
            for (int e = 0; e < 2; ++e) {
                float& x = s[4 * c + 2 * h + e];
                x = fast_exp2(x - base);
                sum += x;
            }
        row_sum[h] = row_sum[h] * correction[h] + sum;
    }
}

// P (64, kN) fp32 accumulators -> kN / 16 A fragments of m64k16 (the m16n8k16 A layout per warp:
// a0 row g cols 2t.., a1 row g+8, a2 row g cols 2t+8.., a3 row g+8 cols 2t+8..).
template <typename T, int kN>
__device__ __forceinline__ void to_a_fragments(const float (&p)[kN / 2],
                                               std::uint32_t (&a)[kN / 16][4]) {
#pragma unroll
    for (int k = 0; k < kN / 16; ++k) {
        const float* lo = p + 8 * k;  // chunk 2k
        const float* hi = lo + 4;     // chunk 2k + 1
        a[k][0] = pack2<T>(lo[0], lo[1]);
        a[k][1] = pack2<T>(lo[2], lo[3]);
        a[k][2] = pack2<T>(hi[0], hi[1]);
        a[k][3] = pack2<T>(hi[2], hi[3]);
    }
}

// O (64, kD) accumulators times the per-row correction.
template <int kD>
__device__ __forceinline__ void rescale_rows(float (&o)[kD / 2], const float (&correction)[2]) {
#pragma unroll
    for (int i = 0; i < kD / 2; ++i) o[i] *= correction[(i / 2) % 2];
}

}  // namespace flashscope::kernels::device::sm90
