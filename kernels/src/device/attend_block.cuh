#pragma once
// One step of the forward inner loop shared by flash1 and flash2: a warp's (16 * kMTiles) query
// rows against one (block_n, head_dim) K/V block in shared memory. S = QK^T on tensor cores,
// scaled to log2 units, the length/causal mask where the block needs it, the online softmax
// update (running max in log2 units, per-lane partial sums, rescaling with exp2) and O += PV with
// P taken from registers.
#include <cmath>
#include <cstdint>

#include "mma.cuh"
#include "smem_tile.cuh"
#include "softmax.cuh"

namespace flashscope::kernels::device {

struct BlockPosition {
    std::int64_t row0;  // first query row of the warp
    std::int64_t col0;  // first key of the block
    std::int64_t seq_k;
    std::int64_t causal_offset;  // seq_k - seq_q
    bool causal;
    bool needs_mask;
    float scale_log2;  // softmax scale * log2(e)
};

// The same step with the mask given relative to the block in 32-bit form: key j (relative to the
// block) is hidden from row r (relative to the warp) when j >= key_limit or j > r + diagonal; the
// mask is applied only when kMasked.
template <bool kMasked, typename T, int kHeadDim, int kBlockN, int kMTiles, typename QTile,
          typename KvTile>
__device__ __forceinline__ void attend_block_as(
    float (&acc_o)[kMTiles][kHeadDim / 8][4],  // (16*mt, head_dim)
    float (&row_max)[kMTiles][2], float (&row_sum)[kMTiles][2], std::uint32_t q_base, int q_row0,
    std::uint32_t k_base, std::uint32_t v_base, int key_limit, int diagonal, float scale_log2,
    int lane) {
    using Mma = MmaOp<T>;
    constexpr int k_n_frags = kBlockN / 8;
    constexpr int k_d_frags = kHeadDim / 8;

    // S = Q K^T: (16 * m_tiles, block_n)
    float s[kMTiles][k_n_frags][4];
#pragma unroll
    for (int mt = 0; mt < kMTiles; ++mt)
#pragma unroll
        for (int j = 0; j < k_n_frags; ++j)
#pragma unroll
            for (int e = 0; e < 4; ++e) s[mt][j][e] = 0.f;
    // Per-lane ldmatrix addresses of the first block of each operand; the others by SmemTile::step.
    const std::uint32_t q_lane = QTile::address_a(q_base, q_row0, 0, lane);
    const std::uint32_t k_lane = KvTile::address_b(k_base, 0, 0, lane);
    const std::uint32_t v_lane = KvTile::address_a(v_base, 0, 0, lane);
#pragma unroll
    for (int kk = 0; kk < kHeadDim / 16; ++kk) {
        std::uint32_t a[kMTiles][4];
#pragma unroll
        for (int mt = 0; mt < kMTiles; ++mt)
            ldmatrix_x4(a[mt], QTile::step(q_lane, mt * 16, kk * 16));
#pragma unroll
        for (int np = 0; np < kBlockN / 16; ++np) {
            std::uint32_t b[4];
            ldmatrix_x4(b, KvTile::step(k_lane, np * 16, kk * 16));
#pragma unroll
            for (int mt = 0; mt < kMTiles; ++mt) {
                Mma::run(s[mt][2 * np], a[mt], b[0], b[1]);
                Mma::run(s[mt][2 * np + 1], a[mt], b[2], b[3]);
            }
        }
    }

    // Scores in log2 units before the max, so that the max is one of them and exp2(s - max) is
    // exactly 1 for it. (exp2(fmaf(s, scale_log2, -max * scale_log2)) would leave the rounding of
    // max * scale_log2 in the exponent: more than 128, so inf and then NaN, once |max| * scale_log2
    // passes 2^32, e.g. softmax scale 1e9.)
#pragma unroll
    for (int mt = 0; mt < kMTiles; ++mt)
#pragma unroll
        for (int j = 0; j < k_n_frags; ++j)
#pragma unroll
            for (int e = 0; e < 4; ++e) {
                s[mt][j][e] *= scale_log2;
                if constexpr (kMasked) {
                    const int row = mt * 16 + lane / 4 + 8 * (e / 2);
                    const int col = j * 8 + 2 * (lane % 4) + (e % 2);
                    if (col >= key_limit || col > row + diagonal) s[mt][j][e] = -INFINITY;
                }
            }

#pragma unroll
    for (int mt = 0; mt < kMTiles; ++mt)
#pragma unroll
        for (int h = 0; h < 2; ++h) {
            float block_max = -INFINITY;
#pragma unroll
            for (int j = 0; j < k_n_frags; ++j)
                block_max = fmaxf(block_max, fmaxf(s[mt][j][2 * h], s[mt][j][2 * h + 1]));
            block_max = quad_max(block_max);
            const float new_max = fmaxf(row_max[mt][h], block_max);
            const float base = new_max == -INFINITY ? 0.f : new_max;  // row fully masked so far
            const float correction = fast_exp2(row_max[mt][h] - base);
            row_max[mt][h] = new_max;
            float sum = 0.f;
#pragma unroll
            for (int j = 0; j < k_n_frags; ++j)
#pragma unroll
                for (int e = 0; e < 2; ++e) {
                    const float p = fast_exp2(s[mt][j][2 * h + e] - base);
                    s[mt][j][2 * h + e] = p;
                    sum += p;
                }
            row_sum[mt][h] = row_sum[mt][h] * correction + sum;
#pragma unroll
            for (int j = 0; j < k_d_frags; ++j) {
                acc_o[mt][j][2 * h] *= correction;
                acc_o[mt][j][2 * h + 1] *= correction;
            }
        }

        // O += P V: the S accumulators become A fragments; V (block_n, head_dim) by ldmatrix.trans.
#pragma unroll
    for (int kk = 0; kk < kBlockN / 16; ++kk) {
        std::uint32_t a[kMTiles][4];
#pragma unroll
        for (int mt = 0; mt < kMTiles; ++mt) {
            a[mt][0] = pack2<T>(s[mt][2 * kk][0], s[mt][2 * kk][1]);
            a[mt][1] = pack2<T>(s[mt][2 * kk][2], s[mt][2 * kk][3]);
            a[mt][2] = pack2<T>(s[mt][2 * kk + 1][0], s[mt][2 * kk + 1][1]);
            a[mt][3] = pack2<T>(s[mt][2 * kk + 1][2], s[mt][2 * kk + 1][3]);
        }
#pragma unroll
        for (int dp = 0; dp < kHeadDim / 16; ++dp) {
            std::uint32_t b[4];
            ldmatrix_x4_trans(b, KvTile::step(v_lane, kk * 16, dp * 16));
#pragma unroll
            for (int mt = 0; mt < kMTiles; ++mt) {
                Mma::run(acc_o[mt][2 * dp], a[mt], b[0], b[1]);
                Mma::run(acc_o[mt][2 * dp + 1], a[mt], b[2], b[3]);
            }
        }
    }
}

// The block step, masked or not: two compiled copies and a branch between them, so that the
// blocks inside the keys and below the diagonal (all but a few) skip the mask's compares and
// selects; written as one body with a run-time test, the compiler predicates the mask code and
// every block pays for it (its SASS: four ALU instructions per score element on every block).
template <typename T, int kHeadDim, int kBlockN, int kMTiles, typename QTile, typename KvTile>
__device__ __forceinline__ void attend_block(
    float (&acc_o)[kMTiles][kHeadDim / 8][4],  // (16*mt, head_dim)
    float (&row_max)[kMTiles][2], float (&row_sum)[kMTiles][2], std::uint32_t q_base, int q_row0,
    std::uint32_t k_base, std::uint32_t v_base, bool needs_mask, int key_limit, int diagonal,
    float scale_log2, int lane) {
    if (needs_mask)
        attend_block_as<true, T, kHeadDim, kBlockN, kMTiles, QTile, KvTile>(
            acc_o, row_max, row_sum, q_base, q_row0, k_base, v_base, key_limit, diagonal,
            scale_log2, lane);
    else
        attend_block_as<false, T, kHeadDim, kBlockN, kMTiles, QTile, KvTile>(
            acc_o, row_max, row_sum, q_base, q_row0, k_base, v_base, key_limit, diagonal,
            scale_log2, lane);
}

template <typename T, int kHeadDim, int kBlockN, int kMTiles, typename QTile, typename KvTile>
__device__ __forceinline__ void attend_block(
    float (&acc_o)[kMTiles][kHeadDim / 8][4],  // (16*mt, head_dim)
    float (&row_max)[kMTiles][2], float (&row_sum)[kMTiles][2], std::uint32_t q_base, int q_row0,
    std::uint32_t k_base, std::uint32_t v_base, const BlockPosition& pos, int lane) {
    // 32-bit offsets relative to the block (only computed where the block needs the mask).
    int key_limit = 0, diagonal = 0;
    if (pos.needs_mask) {
        key_limit = static_cast<int>(pos.seq_k - pos.col0);
        diagonal =
            pos.causal ? static_cast<int>(pos.row0 + pos.causal_offset - pos.col0) : (1 << 30);
    }
    attend_block<T, kHeadDim, kBlockN, kMTiles, QTile, KvTile>(
        acc_o, row_max, row_sum, q_base, q_row0, k_base, v_base, pos.needs_mask, key_limit,
        diagonal, pos.scale_log2, lane);
}

}  // namespace flashscope::kernels::device
