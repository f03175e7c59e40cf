#pragma once
// FlashAttention-2 backward, main kernel. One CTA per (K/V block, head, batch); each warp owns 16
// key rows of the block and accumulates their dK and dV in registers. For every Q block that can
// see the keys it recomputes S^T = K Q^T and P^T = exp2(S^T * scale_log2 - lse) (no N x N buffer),
// then dV += P^T dO, dP^T = V dO^T, dS^T = P^T o (dP^T - D), stages dS^T in shared memory, and
// after a barrier adds dK += dS^T Q while all warps together add dQ += dS K into the fp32
// accumulator with atomics.
// Deterministic mode: the CTAs of one (batch, head) add to a Q block's dQ in K/V block order,
// handed on by a per-Q-block counter, so the fp32 sums are bitwise reproducible.
#include <cmath>
#include <cstdint>
#include <type_traits>

#include "device/mma.cuh"
#include "device/smem_tile.cuh"
#include "device/softmax.cuh"
#include "flashscope/kernels/attention_args.hpp"
#include "flashscope/kernels/cuda_error.hpp"
#include "kernel_common.hpp"

namespace flashscope::kernels::detail {

template <typename T, int kHeadDim, int kBlockM, int kBlockN, int kWarps, int kStages>
struct Flash2BwdTraits {
    static constexpr int k_threads = kWarps * 32;
    static_assert(kWarps * 16 == kBlockN, "each warp owns 16 key rows: warps = block_n / 16");
    static_assert(kStages >= 2, "the next Q/dO block loads while this one is used");
    static_assert(kBlockM % 16 == 0 && kHeadDim % 16 == 0, "tiles are made of 16x16 MMA blocks");
    using QTile = device::SmemTile<kBlockM, kHeadDim>;   // (block_m, head_dim): Q and dO
    using KvTile = device::SmemTile<kBlockN, kHeadDim>;  // (block_n, head_dim): K and V
    using DsTile = device::SmemTile<kBlockN, kBlockM>;   // (block_n, block_m): dS^T
    // dQ (block_m, head_dim) is computed in (dq_rows, dq_cols) units, the same number per warp
    // (none idles before the next barrier), of at most 32 fp32 accumulators per thread. By
    // ldmatrix per MMA: 32 x 32 (dS 2 + K 2 per 8 MMAs, FA2's dQ warp tile), 16 x 64 (1 + 4 per 8),
    // 16 x 32 (1 + 2 per 4), 16 x 16.
    static constexpr bool dq_unit_fits(int rows, int cols) {
        const int units = (kBlockM / rows) * (kHeadDim / cols);
        return kBlockM % rows == 0 && kHeadDim % cols == 0 && units % kWarps == 0;
    }
    static constexpr int k_dq_rows = dq_unit_fits(32, 32) ? 32 : 16;
    static constexpr int k_dq_cols = dq_unit_fits(32, 32)   ? 32
                                     : dq_unit_fits(16, 64) ? 64
                                     : dq_unit_fits(16, 32) ? 32
                                                            : 16;
    static_assert(dq_unit_fits(k_dq_rows, k_dq_cols),
                  "every warp computes the same number of dQ units");
    static constexpr int k_dq_groups = kHeadDim / k_dq_cols;
    static constexpr int k_dq_units = (kBlockM / k_dq_rows) * k_dq_groups;
    // A dQ unit's lane bases carry its first dS^T column (row0) and K column (col0);
    // SmemTile::step then adds 16-column steps below those, in chunk bits of their own (powers of
    // two).
    static constexpr int k_smem_bytes = 2 * KvTile::k_bytes + 2 * kStages * QTile::k_bytes +
                                        DsTile::k_bytes + 2 * kStages * kBlockM * 4;
    static constexpr int k_semaphore_rows = 16;  // semaphores are laid out per 16 query rows
};

template <typename T, int kHeadDim, int kBlockM, int kBlockN, int kWarps, int kStages>
__global__ void __launch_bounds__(kWarps * 32)
    flash2_bwd_kernel(AttentionArgs args, bool deterministic) {
    using Traits = Flash2BwdTraits<T, kHeadDim, kBlockM, kBlockN, kWarps, kStages>;
    using QTile = typename Traits::QTile;
    using KvTile = typename Traits::KvTile;
    using DsTile = typename Traits::DsTile;
    using Mma = device::MmaOp<T>;
    constexpr int k_m_frags = kBlockM / 8;   // 8-column fragments of S^T (columns = queries)
    constexpr int k_d_frags = kHeadDim / 8;  // of dK, dV

    extern __shared__ __align__(128) unsigned char smem_raw[];
    T* s_k = reinterpret_cast<T*>(smem_raw);       // (block_n, head_dim)
    T* s_v = s_k + KvTile::k_elements;             // (block_n, head_dim)
    T* s_q = s_v + KvTile::k_elements;             // kStages x (block_m, head_dim)
    T* s_do = s_q + kStages * QTile::k_elements;   // kStages x (block_m, head_dim)
    T* s_ds = s_do + kStages * QTile::k_elements;  // (block_n, block_m)
    float* s_lse = reinterpret_cast<float*>(s_ds + DsTile::k_elements);  // kStages x block_m
    float* s_dsum = s_lse + kStages * kBlockM;                           // kStages x block_m

    const int thread = threadIdx.x;
    const int warp = thread / 32;
    const int lane = thread % 32;
    const int n_block = blockIdx.x;
    const std::int64_t head = blockIdx.y;
    const std::int64_t batch = blockIdx.z;
    const std::int64_t kv_head = head / args.group();
    const std::int64_t n_start = static_cast<std::int64_t>(n_block) * kBlockN;
    const std::int64_t causal_offset = args.seq_k - args.seq_q;
    const std::int64_t bh = batch * args.heads + head;

    const T* k = tensor_at<const T>(args.k, batch, kv_head) + n_start * args.k.row_stride;
    const T* v = tensor_at<const T>(args.v, batch, kv_head) + n_start * args.v.row_stride;
    const T* q = tensor_at<const T>(args.q, batch, head);
    const T* d_o = tensor_at<const T>(args.d_o, batch, head);
    const float* lse = args.lse + bh * args.seq_q;
    const float* dsum = args.d_sum + bh * args.seq_q;
    float* dq_accum = args.dq_accum + bh * args.seq_q * kHeadDim;
    int* semaphore = args.dq_semaphore +
                     bh * ((args.seq_q + Traits::k_semaphore_rows - 1) / Traits::k_semaphore_rows);

    // Q blocks whose rows can see a key of this block (bottom-right causal).
    int m_begin = 0;
    if (args.causal) {
        const std::int64_t first_row = n_start - causal_offset;
        m_begin = first_row > 0 ? static_cast<int>(first_row / kBlockM) : 0;
    }
    const int m_blocks = static_cast<int>((args.seq_q + kBlockM - 1) / kBlockM);

    device::load_tile_async<kBlockN, kHeadDim, Traits::k_threads>(s_k, k, args.k.row_stride, 0,
                                                                  args.seq_k - n_start, thread);
    device::load_tile_async<kBlockN, kHeadDim, Traits::k_threads>(s_v, v, args.v.row_stride, 0,
                                                                  args.seq_k - n_start, thread);
    auto load_q = [&](int m_block, int stage) {
        const std::int64_t m0 = static_cast<std::int64_t>(m_block) * kBlockM;
        device::load_tile_async<kBlockM, kHeadDim, Traits::k_threads>(
            s_q + stage * QTile::k_elements, q + m0 * args.q.row_stride, args.q.row_stride, 0,
            args.seq_q - m0, thread);
        device::load_tile_async<kBlockM, kHeadDim, Traits::k_threads>(
            s_do + stage * QTile::k_elements, d_o + m0 * args.d_o.row_stride, args.d_o.row_stride,
            0, args.seq_q - m0, thread);
        // A compile-time pass count, so that the copy unrolls (a loop from `thread` stays rolled).
#pragma unroll
        for (int p = 0; p < (kBlockM + Traits::k_threads - 1) / Traits::k_threads; ++p) {
            const int i = thread + p * Traits::k_threads;
            if (kBlockM % Traits::k_threads != 0 && i >= kBlockM) break;
            const bool valid = m0 + i < args.seq_q;
            device::cp_async_4(device::smem_address(s_lse + stage * kBlockM + i),
                               valid ? lse + m0 + i : lse, valid);
            device::cp_async_4(device::smem_address(s_dsum + stage * kBlockM + i),
                               valid ? dsum + m0 + i : dsum, valid);
        }
    };
#pragma unroll
    for (int s = 0; s < kStages - 1; ++s) {
        if (m_begin + s < m_blocks) load_q(m_begin + s, s);
        device::cp_async_commit();
    }

    float acc_dk[k_d_frags][4];  // (16, head_dim) per warp
    float acc_dv[k_d_frags][4];  // (16, head_dim) per warp
#pragma unroll
    for (int j = 0; j < k_d_frags; ++j)
#pragma unroll
        for (int e = 0; e < 4; ++e) acc_dk[j][e] = acc_dv[j][e] = 0.f;

    const float scale_log2 = args.scale * device::k_log2e;
    const int warp_row0 = warp * 16;
    const int quad_row = lane / 4;        // accumulator row of the lane (and + 8)
    const int quad_col = 2 * (lane % 4);  // accumulator column pair of the lane

    // Per-lane ldmatrix addresses of each operand's first 16x16 block, computed once: the other
    // blocks are SmemTile::step away (one XOR and an immediate offset), and a Q/dO stage is
    // QTile::k_bytes further on. Re-deriving row, column and swizzle per ldmatrix cost more
    // IMAD/LEA than there are MMAs.
    const std::uint32_t k_base = device::smem_address(s_k);
    const std::uint32_t ds_base = device::smem_address(s_ds);
    const std::uint32_t q_smem = device::smem_address(s_q);
    const std::uint32_t do_smem = device::smem_address(s_do);
    const std::uint32_t k_a = KvTile::address_a(k_base, warp_row0, 0, lane);
    const std::uint32_t v_a = KvTile::address_a(device::smem_address(s_v), warp_row0, 0, lane);
    const std::uint32_t q_b0 = QTile::address_b(q_smem, 0, 0, lane);    // S^T's B
    const std::uint32_t do_b0 = QTile::address_b(do_smem, 0, 0, lane);  // dP^T's B
    const std::uint32_t q_a0 = QTile::address_a(q_smem, 0, 0, lane);    // dK's B (trans)
    const std::uint32_t do_a0 = QTile::address_a(do_smem, 0, 0, lane);  // dV's B (trans)
    // The lane's dS^T store address for fragment 0 (rows quad_row and + 8 of the warp).
    const std::uint32_t ds_store =
        ds_base + 2u * static_cast<std::uint32_t>(DsTile::offset(warp_row0 + quad_row, quad_col));

    for (int m_block = m_begin; m_block < m_blocks; ++m_block) {
        const int iteration = m_block - m_begin;
        const int stage = iteration % kStages;
        // This block's Q, dO, LSE and D have landed, and every warp is done with the previous
        // iteration: its stage and dS^T may be refilled, so one barrier per iteration covers both.
        device::cp_async_wait<kStages - 2>();
        __syncthreads();
        const int ahead = m_block + kStages - 1;
        if (ahead < m_blocks) load_q(ahead, (iteration + kStages - 1) % kStages);
        device::cp_async_commit();

        const std::int64_t m0 = static_cast<std::int64_t>(m_block) * kBlockM;
        const std::uint32_t stage_bytes = static_cast<std::uint32_t>(stage * QTile::k_bytes);
        const std::uint32_t q_b = q_b0 + stage_bytes;
        const std::uint32_t do_b = do_b0 + stage_bytes;
        const std::uint32_t q_a = q_a0 + stage_bytes;
        const std::uint32_t do_a = do_a0 + stage_bytes;
        // The lane's LSE and D pairs: column quad_col of fragment j is at + j * 8.
        const float* stage_lse = s_lse + stage * kBlockM + quad_col;
        const float* stage_dsum = s_dsum + stage * kBlockM + quad_col;

        // S^T = K Q^T: (16, block_m) per warp
        float p[k_m_frags][4];
#pragma unroll
        for (int j = 0; j < k_m_frags; ++j)
#pragma unroll
            for (int e = 0; e < 4; ++e) p[j][e] = 0.f;
#pragma unroll
        for (int kk = 0; kk < kHeadDim / 16; ++kk) {
            std::uint32_t a[4];
            device::ldmatrix_x4(a, KvTile::step(k_a, 0, kk * 16));
#pragma unroll
            for (int mp = 0; mp < kBlockM / 16; ++mp) {
                std::uint32_t b[4];
                device::ldmatrix_x4(b, QTile::step(q_b, mp * 16, kk * 16));
                Mma::run(p[2 * mp], a, b[0], b[1]);
                Mma::run(p[2 * mp + 1], a, b[2], b[3]);
            }
        }

        // P^T = exp2(S^T * scale_log2 - lse * log2e), masked entries 0. The exponent is <= 0 in
        // exact arithmetic (lse >= every visible score); clamping the rounding of a large lse keeps
        // P <= 1 instead of overflowing to inf for huge softmax scales. NaN stays NaN.
        const bool needs_mask = m0 + kBlockM > args.seq_q || n_start + kBlockN > args.seq_k ||
                                (args.causal && n_start + kBlockN - 1 > m0 + causal_offset);
        // Two copies and a branch: as one body with a run-time test the compiler predicates the
        // mask, and every block pays for it. The masked copy compares 32-bit coordinates relative
        // to the warp's first key and the block's first query, clamped to the block.
        const auto exponentiate = [&](auto masked) {
            int row_limit = 0, key_limit = 0, diagonal = 0;
            if constexpr (decltype(masked)::value) {
                // Relative coordinates are below 256: a bound of 2^20 keeps every test exact.
                const auto clamp = [](std::int64_t x) {
                    constexpr std::int64_t k_bound = 1 << 20;
                    return static_cast<int>(x < -k_bound ? -k_bound : (x > k_bound ? k_bound : x));
                };
                row_limit = clamp(args.seq_q - m0);
                key_limit = clamp(args.seq_k - n_start - warp_row0);
                // key (rel.) > row (rel.) + diagonal is in the causal future
                diagonal = args.causal ? clamp(m0 + causal_offset - n_start - warp_row0) : 1 << 20;
            }
#pragma unroll
            for (int j = 0; j < k_m_frags; ++j) {
                const float2 lse = *reinterpret_cast<const float2*>(stage_lse + j * 8);
                const float lse_log2[2] = {lse.x * device::k_log2e, lse.y * device::k_log2e};
#pragma unroll
                for (int e = 0; e < 4; ++e) {
                    const float exponent = fmaf(p[j][e], scale_log2, -lse_log2[e % 2]);
                    float value = device::fast_exp2(exponent > 0.f ? 0.f : exponent);
                    if constexpr (decltype(masked)::value) {
                        const int key = quad_row + 8 * (e / 2);
                        const int row = j * 8 + quad_col + (e % 2);
                        if (row >= row_limit || key >= key_limit || key > row + diagonal)
                            value = 0.f;
                    }
                    p[j][e] = value;
                }
            }
        };
        if (needs_mask)
            exponentiate(std::true_type{});
        else
            exponentiate(std::false_type{});

            // dV += P^T dO, P^T packed into A fragments in the dtype as they are needed (fp32 P^T
            // stays live for dS^T, as in FA2: unpacking the packed values again cost an IMAD and a
            // PRMT per entry).
#pragma unroll
        for (int kk = 0; kk < kBlockM / 16; ++kk) {
            std::uint32_t p_frag[4];
            p_frag[0] = device::pack2<T>(p[2 * kk][0], p[2 * kk][1]);
            p_frag[1] = device::pack2<T>(p[2 * kk][2], p[2 * kk][3]);
            p_frag[2] = device::pack2<T>(p[2 * kk + 1][0], p[2 * kk + 1][1]);
            p_frag[3] = device::pack2<T>(p[2 * kk + 1][2], p[2 * kk + 1][3]);
#pragma unroll
            for (int dp = 0; dp < kHeadDim / 16; ++dp) {
                std::uint32_t b[4];
                device::ldmatrix_x4_trans(b, QTile::step(do_a, kk * 16, dp * 16));
                Mma::run(acc_dv[2 * dp], p_frag, b[0], b[1]);
                Mma::run(acc_dv[2 * dp + 1], p_frag, b[2], b[3]);
            }
        }

        // dP^T = V dO^T: (16, block_m) per warp
        float ds[k_m_frags][4];
#pragma unroll
        for (int j = 0; j < k_m_frags; ++j)
#pragma unroll
            for (int e = 0; e < 4; ++e) ds[j][e] = 0.f;
#pragma unroll
        for (int kk = 0; kk < kHeadDim / 16; ++kk) {
            std::uint32_t a[4];
            device::ldmatrix_x4(a, KvTile::step(v_a, 0, kk * 16));
#pragma unroll
            for (int mp = 0; mp < kBlockM / 16; ++mp) {
                std::uint32_t b[4];
                device::ldmatrix_x4(b, QTile::step(do_b, mp * 16, kk * 16));
                Mma::run(ds[2 * mp], a, b[0], b[1]);
                Mma::run(ds[2 * mp + 1], a, b[2], b[3]);
            }
        }

        // dS^T = P^T o (dP^T - D); staged in shared memory for dQ.
#pragma unroll
        for (int j = 0; j < k_m_frags; ++j) {
            const float2 d_sum = *reinterpret_cast<const float2*>(stage_dsum + j * 8);
#pragma unroll
            for (int e = 0; e < 4; ++e)
                ds[j][e] = p[j][e] * (ds[j][e] - (e % 2 == 0 ? d_sum.x : d_sum.y));
#pragma unroll
            for (int h = 0; h < 2; ++h)
                device::st_shared_b32(DsTile::step(ds_store, 8 * h, j * 8),
                                      device::pack2<T>(ds[j][2 * h], ds[j][2 * h + 1]));
        }

        __syncthreads();  // dS^T complete

        // dK += dS^T Q
#pragma unroll
        for (int kk = 0; kk < kBlockM / 16; ++kk) {
            std::uint32_t a[4];
            a[0] = device::pack2<T>(ds[2 * kk][0], ds[2 * kk][1]);
            a[1] = device::pack2<T>(ds[2 * kk][2], ds[2 * kk][3]);
            a[2] = device::pack2<T>(ds[2 * kk + 1][0], ds[2 * kk + 1][1]);
            a[3] = device::pack2<T>(ds[2 * kk + 1][2], ds[2 * kk + 1][3]);
#pragma unroll
            for (int dp = 0; dp < kHeadDim / 16; ++dp) {
                std::uint32_t b[4];
                device::ldmatrix_x4_trans(b, QTile::step(q_a, kk * 16, dp * 16));
                Mma::run(acc_dk[2 * dp], a, b[0], b[1]);
                Mma::run(acc_dk[2 * dp + 1], a, b[2], b[3]);
            }
        }

        // dQ (block_m, head_dim) += dS K, split in (dq_rows, dq_cols) units, the same number per
        // warp; after dK, so that a warp's dK and dQ MMAs can overlap one another's latencies.
        int* block_semaphore = semaphore + m0 / Traits::k_semaphore_rows;
        if (deterministic) {
            if (thread == 0) {
                while (atomicAdd(block_semaphore, 0) != n_block) {
                }
            }
            __syncthreads();
        }
        float* dq_block = dq_accum + m0 * kHeadDim;
        const int rows_left =
            m0 + kBlockM <= args.seq_q ? kBlockM : static_cast<int>(args.seq_q - m0);
        constexpr int k_row_tiles = Traits::k_dq_rows / 16;
#pragma unroll
        for (int u = 0; u < Traits::k_dq_units / kWarps; ++u) {
            const int unit = warp + u * kWarps;
            const int row0 = unit / Traits::k_dq_groups * Traits::k_dq_rows;
            const int col0 = unit % Traits::k_dq_groups * Traits::k_dq_cols;
            const std::uint32_t ds_b = DsTile::address_b(ds_base, 0, row0, lane);
            const std::uint32_t k_t = KvTile::address_a(k_base, 0, col0, lane);
            float acc[k_row_tiles][Traits::k_dq_cols / 8][4];
#pragma unroll
            for (int rt = 0; rt < k_row_tiles; ++rt)
#pragma unroll
                for (int j = 0; j < Traits::k_dq_cols / 8; ++j)
#pragma unroll
                    for (int e = 0; e < 4; ++e) acc[rt][j][e] = 0.f;
#pragma unroll
            for (int kk = 0; kk < kBlockN / 16; ++kk) {
                std::uint32_t a[k_row_tiles][4];
#pragma unroll
                for (int rt = 0; rt < k_row_tiles; ++rt)
                    device::ldmatrix_x4_trans(a[rt], DsTile::step(ds_b, kk * 16, rt * 16));
#pragma unroll
                for (int dp = 0; dp < Traits::k_dq_cols / 16; ++dp) {
                    std::uint32_t b[4];
                    device::ldmatrix_x4_trans(b, KvTile::step(k_t, kk * 16, dp * 16));
#pragma unroll
                    for (int rt = 0; rt < k_row_tiles; ++rt) {
                        Mma::run(acc[rt][2 * dp], a[rt], b[0], b[1]);
                        Mma::run(acc[rt][2 * dp + 1], a[rt], b[2], b[3]);
                    }
                }
            }
            float* dst = dq_block + (row0 + quad_row) * kHeadDim + col0 + quad_col;
#pragma unroll
            for (int rt = 0; rt < k_row_tiles; ++rt)
#pragma unroll
                for (int h = 0; h < 2; ++h) {
                    if (row0 + rt * 16 + quad_row + 8 * h >= rows_left) continue;
#pragma unroll
                    for (int j = 0; j < Traits::k_dq_cols / 8; ++j) {
                        float* at = dst + (rt * 16 + 8 * h) * kHeadDim + j * 8;
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
                        atomicAdd(reinterpret_cast<float2*>(at),
                                  make_float2(acc[rt][j][2 * h], acc[rt][j][2 * h + 1]));
#else
                        atomicAdd(at, acc[rt][j][2 * h]);
                        atomicAdd(at + 1, acc[rt][j][2 * h + 1]);
#endif
                    }
                }
        }
        if (deterministic) {
            __threadfence();
            __syncthreads();
            if (thread == 0) atomicAdd(block_semaphore, 1);
        }
    }
    device::cp_async_wait<0>();

    // Epilogue: dK = scale * sum dS^T Q, dV. Written in the dtype when each kv head has one query
    // head; with GQA written per query head in fp32 for the group reduction kernel.
#pragma unroll
    for (int h = 0; h < 2; ++h) {
        const std::int64_t key = n_start + warp_row0 + lane / 4 + 8 * h;
        if (key >= args.seq_k) continue;
        if (args.group() == 1) {
            T* dk_row = tensor_at<T>(args.dk, batch, kv_head) + key * args.dk.row_stride;
            T* dv_row = tensor_at<T>(args.dv, batch, kv_head) + key * args.dv.row_stride;
#pragma unroll
            for (int j = 0; j < k_d_frags; ++j) {
                const int col = j * 8 + 2 * (lane % 4);
                *reinterpret_cast<std::uint32_t*>(dk_row + col) = device::pack2<T>(
                    acc_dk[j][2 * h] * args.scale, acc_dk[j][2 * h + 1] * args.scale);
                *reinterpret_cast<std::uint32_t*>(dv_row + col) =
                    device::pack2<T>(acc_dv[j][2 * h], acc_dv[j][2 * h + 1]);
            }
        } else {
            float* dk_row = args.dk_accum + (bh * args.seq_k + key) * kHeadDim;
            float* dv_row = args.dv_accum + (bh * args.seq_k + key) * kHeadDim;
#pragma unroll
            for (int j = 0; j < k_d_frags; ++j) {
                const int col = j * 8 + 2 * (lane % 4);
                *reinterpret_cast<float2*>(dk_row + col) =
                    make_float2(acc_dk[j][2 * h] * args.scale, acc_dk[j][2 * h + 1] * args.scale);
                *reinterpret_cast<float2*>(dv_row + col) =
                    make_float2(acc_dv[j][2 * h], acc_dv[j][2 * h + 1]);
            }
        }
    }
}

template <typename T, int kHeadDim, int kBlockM, int kBlockN, int kWarps, int kStages>
void launch_flash2_bwd(const AttentionArgs& args, bool deterministic, cudaStream_t stream) {
    using Traits = Flash2BwdTraits<T, kHeadDim, kBlockM, kBlockN, kWarps, kStages>;
    auto kernel = flash2_bwd_kernel<T, kHeadDim, kBlockM, kBlockN, kWarps, kStages>;
    const dim3 grid(static_cast<unsigned>((args.seq_k + kBlockN - 1) / kBlockN),
                    static_cast<unsigned>(args.heads), static_cast<unsigned>(args.batch));
    kernel<<<grid, Traits::k_threads, Traits::k_smem_bytes, stream>>>(args, deterministic);
    FLASHSCOPE_CHECK_LAUNCH();
}

// Once per instantiation, when a launch is built (not on every launch).
template <typename T, int kHeadDim, int kBlockM, int kBlockN, int kWarps, int kStages>
void prepare_flash2_bwd() {
    using Traits = Flash2BwdTraits<T, kHeadDim, kBlockM, kBlockN, kWarps, kStages>;
    prepare_kernel(reinterpret_cast<const void*>(
                       flash2_bwd_kernel<T, kHeadDim, kBlockM, kBlockN, kWarps, kStages>),
                   Traits::k_smem_bytes);
}

template <typename T, int kHeadDim, int kBlockM, int kBlockN, int kWarps, int kStages>
void add_flash2_bwd(KernelRegistry& registry, bool is_default = false) {
    using Traits = Flash2BwdTraits<T, kHeadDim, kBlockM, kBlockN, kWarps, kStages>;
    registry.add(
        {make_key<T>(Algorithm::flash2, Pass::bwd, kHeadDim, kBlockM, kBlockN, kWarps, kStages),
         &launch_flash2_bwd<T, kHeadDim, kBlockM, kBlockN, kWarps, kStages>,
         &prepare_flash2_bwd<T, kHeadDim, kBlockM, kBlockN, kWarps, kStages>, Traits::k_smem_bytes,
         is_default});
}

}  // namespace flashscope::kernels::detail
