#pragma once
// The online softmax on one warpgroup's S tile as wgmma leaves it in registers, and the conversion
// of P into the A operand of the next wgmma.
//
// Accumulator layout of wgmma m64nN (fp32, N / 2 per thread; warp w of the warpgroup holds rows
// 16w .. 16w + 15, g = lane / 4, t = lane % 4): s[4c + e] is row 16w + g + 8 * (e / 2), column
// 8c + 2t + e % 2. So each thread holds parts of two rows (h = 0, 1) and a row's values are spread
// over the four lanes of a quad, as with mma.sync.
//
// Issue cost per score, the budget at d = 64 where the exponentials take as long as the matrix
// products: the max is taken on the raw scores and the scale folds into one FFMA before the
// exponential (scale * s - max in log2 units), the mask is compiled only into the blocks that
// need it, and the running max moves only when a block's max exceeds it by more than
// k_max_slack, so that most blocks skip the rescale of O.
#include <cmath>
#include <cstdint>

#include "device/mma.cuh"
#include "device/softmax.cuh"

namespace flashscope::kernels::device::sm90 {

// Where one K/V block sits relative to this thread's rows, for masking (32-bit, block-relative).
struct BlockMask {
    int key_limit = 0;  // columns >= key_limit are past seq_k
    int diagonal = 0;   // causal: column c is hidden from this thread's row r (0 or 8 below the
                        // thread's first row) when c > r + diagonal
};

// The running max stays put until a block's max is this far above it (log2 units): P values then
// reach up to 2^8 (fine in bf16, fp16 and the fp32 sums) and O is rescaled only when a max moves.
// O / l and the logsumexp do not depend on which max was used.
inline constexpr float k_max_slack = 8.f;

// Below this magnitude of scale * max (log2 units) one FFMA's exact product minus the rounded max
// stays within 1/4 of the true difference; beyond it (huge softmax scales, infinite scores) the
// scores are scaled and rounded first, which keeps every exponent <= the max's.
inline constexpr float k_fused_max_limit = 4194304.f;  // 2^22

// 2^x on the FMA and integer pipes instead of the SFU (which does 16 exponentials per clock per
// SM): x = n + f with n = round(x), |f| <= 1/2, 2^f by a degree-3 polynomial (relative error
// 1.0e-4, below bf16's rounding), times 2^n built in the exponent bits. x is clamped to -127,
// where 2^n becomes +0, so -inf gives 0 exactly; NaN stays NaN (the clamp and the product keep it).
__device__ __forceinline__ float poly_exp2(float x) {
    asm("max.NaN.f32 %0, %0, 0fC2FE0000;" : "+f"(x));  // -127
    const float shifted = x + 12582912.f;              // 1.5 * 2^23: round(x) lands in the low bits
    const float f = x - (shifted - 12582912.f);
    const float p = fmaf(fmaf(fmaf(0.05500893f, f, 0.24221097f), f, 0.6932829f), f, 1.f);
    // (bits << 23) keeps round(x)'s low 9 bits, two's complement: n << 23 modulo 2^32.
    const float two_n = __int_as_float((__float_as_int(shifted) << 23) + (127 << 23));
    return p * two_n;
}

// Scales S to log2 units, masks (kMasked), updates the running max and sum and turns S into P in
// place. `correction` (per row) is what O accumulated so far must be multiplied by; the return
// value is whether any row of this warp has a correction other than 1. kPolyChunks of every 8
// column chunks (8 columns each) take their exponentials from poly_exp2 when nothing is masked.
template <int kN, bool kMasked, int kPolyChunks = 0>
__device__ __forceinline__ bool online_softmax(float (&s)[kN / 2], float (&row_max)[2],
                                               float (&row_sum)[2], float (&correction)[2],
                                               float scale_log2, const BlockMask& mask, int lane) {
    constexpr int k_chunks = kN / 8;
    if constexpr (kMasked) {
        // Per row, the first hidden column less this thread's column offset: one compare with a
        // constant per score.
        int hidden[2];
#pragma unroll
        for (int h = 0; h < 2; ++h) {
            const int causal_end = 8 * h + mask.diagonal + 1;
            hidden[h] =
                (causal_end < mask.key_limit ? causal_end : mask.key_limit) - 2 * (lane % 4);
        }
#pragma unroll
        for (int c = 0; c < k_chunks; ++c)
#pragma unroll
            for (int e = 0; e < 4; ++e)
                if (8 * c + e % 2 >= hidden[e / 2]) s[4 * c + e] = -INFINITY;
    }
    float base[2];
    bool grew = false, fused = true;
#pragma unroll
    for (int h = 0; h < 2; ++h) {
        // Four independent chains: one chain of k_chunks dependent max operations would be
        // latency bound, a full tree would hold k_chunks temporaries.
        static_assert(k_chunks >= 4, "block_n >= 32");
        float m[4];
#pragma unroll
        for (int c = 0; c < k_chunks; ++c) {
            const float pair = fmaxf(s[4 * c + 2 * h], s[4 * c + 2 * h + 1]);
            m[c % 4] = c < 4 ? pair : fmaxf(m[c % 4], pair);
        }
        m[0] = fmaxf(fmaxf(m[0], m[1]), fmaxf(m[2], m[3]));
        const float block_max = quad_max(m[0]) * scale_log2;     // scale > 0: max commutes with it
        const bool grow = block_max > row_max[h] + k_max_slack;  // false for -inf and NaN
        correction[h] = grow ? fast_exp2(row_max[h] - block_max) : 1.f;
        if (grow) row_max[h] = block_max;
        grew |= grow;
        base[h] = row_max[h] == -INFINITY ? 0.f : row_max[h];  // row fully masked so far
        fused &= fabsf(base[h]) < k_fused_max_limit;
    }
    float sum[2] = {0.f, 0.f};
    if (__all_sync(0xffffffffu, fused)) {
#pragma unroll
        for (int c = 0; c < k_chunks; ++c)
#pragma unroll
            for (int e = 0; e < 4; ++e) {
                float& x = s[4 * c + e];
                const float arg = fmaf(x, scale_log2, -base[e / 2]);
                x = (!kMasked && c % 8 < kPolyChunks) ? poly_exp2(arg) : fast_exp2(arg);
                sum[e / 2] += x;
            }
    } else {
#pragma unroll
        for (int c = 0; c < k_chunks; ++c)
#pragma unroll
            for (int e = 0; e < 4; ++e) {
                float& x = s[4 * c + e];
                x = fast_exp2(__fmul_rn(x, scale_log2) - base[e / 2]);
                sum[e / 2] += x;
            }
    }
#pragma unroll
    for (int h = 0; h < 2; ++h) row_sum[h] = row_sum[h] * correction[h] + sum[h];
    return __any_sync(0xffffffffu, grew);
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
