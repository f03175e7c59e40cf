#pragma once
// FlashAttention (2022) forward, Algorithm 1's loop order: one CTA per (head, batch); the outer
// loop walks K/V blocks (loaded once into shared memory), the inner loop walks Q blocks, and each
// inner step reads the block's running output O (fp32, unnormalised), row max m and row sum l from
// HBM and writes them back, so the extra traffic of this order is real and measurable. The last
// K/V block a Q block sees normalises and writes O in the dtype and the logsumexp.
// The per-warp arithmetic (tensor cores, online softmax) is the same as flash2's.
#include <cmath>
#include <cstdint>

#include "device/attend_block.cuh"
#include "device/mma.cuh"
#include "device/smem_tile.cuh"
#include "device/softmax.cuh"
#include "flashscope/kernels/attention_args.hpp"
#include "flashscope/kernels/cuda_error.hpp"
#include "kernel_common.hpp"

namespace flashscope::kernels::detail {

template <typename T, int kHeadDim, int kBlockM, int kBlockN, int kWarps, int kStages>
struct Flash1FwdTraits {
    static constexpr int k_threads = kWarps * 32;
    static constexpr int k_m_tiles = kBlockM / (16 * kWarps);
    static_assert(k_m_tiles >= 1 && k_m_tiles * 16 * kWarps == kBlockM,
                  "block_m = 16 * warps * m_tiles");
    using QTile = device::SmemTile<kBlockM, kHeadDim>;   // (block_m, head_dim)
    using KvTile = device::SmemTile<kBlockN, kHeadDim>;  // (block_n, head_dim)
    // K and V once, Q blocks kStages deep.
    static constexpr int k_smem_bytes = 2 * KvTile::k_bytes + kStages * QTile::k_bytes;
};

template <typename T, int kHeadDim, int kBlockM, int kBlockN, int kWarps, int kStages>
__global__ void __launch_bounds__(kWarps * 32) flash1_fwd_kernel(AttentionArgs args) {
    using Traits = Flash1FwdTraits<T, kHeadDim, kBlockM, kBlockN, kWarps, kStages>;
    using QTile = typename Traits::QTile;
    using KvTile = typename Traits::KvTile;
    constexpr int k_m_tiles = Traits::k_m_tiles;
    constexpr int k_d_frags = kHeadDim / 8;

    extern __shared__ __align__(128) unsigned char smem_raw[];
    T* s_k = reinterpret_cast<T*>(smem_raw);  // (block_n, head_dim)
    T* s_v = s_k + KvTile::k_elements;        // (block_n, head_dim)
    T* s_q = s_v + KvTile::k_elements;        // kStages x (block_m, head_dim)

    const int thread = threadIdx.x;
    const int warp = thread / 32;
    const int lane = thread % 32;
    const std::int64_t head = blockIdx.x;
    const std::int64_t batch = blockIdx.y;
    const std::int64_t kv_head = head / args.group();
    const std::int64_t bh = batch * args.heads + head;
    const std::int64_t causal_offset = args.seq_k - args.seq_q;

    const T* q = tensor_at<const T>(args.q, batch, head);
    const T* k = tensor_at<const T>(args.k, batch, kv_head);
    const T* v = tensor_at<const T>(args.v, batch, kv_head);
    T* o = tensor_at<T>(args.o, batch, head);
    float* lse = args.lse + bh * args.seq_q;
    float* o_accum = args.o_accum + bh * args.seq_q * kHeadDim;
    float* m_hbm = args.row_max + bh * args.seq_q;
    float* l_hbm = args.row_sum + bh * args.seq_q;

    const int m_blocks = static_cast<int>((args.seq_q + kBlockM - 1) / kBlockM);
    const int n_blocks_total = static_cast<int>((args.seq_k + kBlockN - 1) / kBlockN);
    // Number of K/V blocks Q block i sees (0 when its rows see no key).
    auto n_blocks_of = [&](int m_block) {
        std::int64_t n_end = args.seq_k;
        const std::int64_t last = static_cast<std::int64_t>(m_block + 1) * kBlockM + causal_offset;
        if (args.causal && last < n_end) n_end = last;
        return n_end <= 0 ? 0 : static_cast<int>((n_end + kBlockN - 1) / kBlockN);
    };

    // Q blocks that see no key at all (causal, seq_q > seq_k): O = 0, lse = +inf.
    for (int m_block = 0; m_block < m_blocks && n_blocks_of(m_block) == 0; ++m_block) {
        const std::int64_t m0 = static_cast<std::int64_t>(m_block) * kBlockM;
        for (int i = thread; i < kBlockM * kHeadDim; i += Traits::k_threads) {
            const std::int64_t row = m0 + i / kHeadDim;
            if (row < args.seq_q)
                o[row * args.o.row_stride + i % kHeadDim] = device::from_float<T>(0.f);
            if (row < args.seq_q && i % kHeadDim == 0) lse[row] = INFINITY;
        }
    }

    const float scale_log2 = args.scale * device::k_log2e;
    const int warp_row0 = warp * k_m_tiles * 16;
    const std::uint32_t k_base = device::smem_address(s_k);
    const std::uint32_t v_base = device::smem_address(s_v);

    for (int n_block = 0; n_block < n_blocks_total; ++n_block) {
        const std::int64_t n0 = static_cast<std::int64_t>(n_block) * kBlockN;
        int m_begin = 0;
        if (args.causal) {
            const std::int64_t first_row = n0 - causal_offset;
            m_begin = first_row > 0 ? static_cast<int>(first_row / kBlockM) : 0;
        }
        __syncthreads();  // the previous K/V block is no longer read
        device::load_tile_async<kBlockN, kHeadDim, Traits::k_threads>(
            s_k, k + n0 * args.k.row_stride, args.k.row_stride, 0, args.seq_k - n0, thread);
        device::load_tile_async<kBlockN, kHeadDim, Traits::k_threads>(
            s_v, v + n0 * args.v.row_stride, args.v.row_stride, 0, args.seq_k - n0, thread);
        auto load_q = [&](int m_block, int stage) {
            const std::int64_t m0 = static_cast<std::int64_t>(m_block) * kBlockM;
            device::load_tile_async<kBlockM, kHeadDim, Traits::k_threads>(
                s_q + stage * QTile::k_elements, q + m0 * args.q.row_stride, args.q.row_stride, 0,
                args.seq_q - m0, thread);
        };
#pragma unroll
        for (int s = 0; s < kStages - 1; ++s) {
            if (m_begin + s < m_blocks) load_q(m_begin + s, s);
            device::cp_async_commit();
        }

        for (int m_block = m_begin; m_block < m_blocks; ++m_block) {
            const int iteration = m_block - m_begin;
            const int stage = iteration % kStages;
            const int ahead = m_block + kStages - 1;
            if (ahead < m_blocks) load_q(ahead, (iteration + kStages - 1) % kStages);
            device::cp_async_commit();
            device::cp_async_wait<kStages - 1>();
            __syncthreads();

            const std::int64_t m_start = static_cast<std::int64_t>(m_block) * kBlockM;
            const bool first = n_block == 0;
            const bool last = n_block == n_blocks_of(m_block) - 1;

            // Read this block's running state from HBM (fresh on the first K/V block).
            float acc_o[k_m_tiles][k_d_frags][4];  // (16 * m_tiles, head_dim) per warp
            float row_max[k_m_tiles][2];
            float row_sum[k_m_tiles][2];
#pragma unroll
            for (int mt = 0; mt < k_m_tiles; ++mt)
#pragma unroll
                for (int h = 0; h < 2; ++h) {
                    const std::int64_t row = m_start + warp_row0 + mt * 16 + lane / 4 + 8 * h;
                    const bool valid = !first && row < args.seq_q;
                    row_max[mt][h] = valid ? m_hbm[row] : -INFINITY;
                    row_sum[mt][h] = valid && lane % 4 == 0 ? l_hbm[row] : 0.f;
#pragma unroll
                    for (int j = 0; j < k_d_frags; ++j) {
                        float2 value = make_float2(0.f, 0.f);
                        if (valid)
                            value = *reinterpret_cast<const float2*>(o_accum + row * kHeadDim +
                                                                     j * 8 + 2 * (lane % 4));
                        acc_o[mt][j][2 * h] = value.x;
                        acc_o[mt][j][2 * h + 1] = value.y;
                    }
                }

            device::BlockPosition pos;
            pos.row0 = m_start + warp_row0;
            pos.col0 = n0;
            pos.seq_k = args.seq_k;
            pos.causal_offset = causal_offset;
            pos.causal = args.causal;
            pos.needs_mask = n0 + kBlockN > args.seq_k ||
                             (args.causal && n0 + kBlockN - 1 > m_start + causal_offset);
            pos.scale_log2 = scale_log2;
            const std::uint32_t q_base = device::smem_address(s_q + stage * QTile::k_elements);
            device::attend_block<T, kHeadDim, kBlockN, k_m_tiles, QTile, KvTile>(
                acc_o, row_max, row_sum, q_base, warp_row0, k_base, v_base, pos, lane);

            // Write the state back, or the final output on the block's last K/V block.
#pragma unroll
            for (int mt = 0; mt < k_m_tiles; ++mt)
#pragma unroll
                for (int h = 0; h < 2; ++h) {
                    const float sum = device::quad_sum(row_sum[mt][h]);
                    const std::int64_t row = m_start + warp_row0 + mt * 16 + lane / 4 + 8 * h;
                    if (row >= args.seq_q) continue;
                    if (last) {
                        const float inv = sum > 0.f ? 1.f / sum : 0.f;
                        T* o_row = o + row * args.o.row_stride;
#pragma unroll
                        for (int j = 0; j < k_d_frags; ++j)
                            *reinterpret_cast<std::uint32_t*>(o_row + j * 8 + 2 * (lane % 4)) =
                                device::pack2<T>(acc_o[mt][j][2 * h] * inv,
                                                 acc_o[mt][j][2 * h + 1] * inv);
                        if (lane % 4 == 0)
                            lse[row] = sum > 0.f ? (row_max[mt][h] + log2f(sum)) * device::k_ln2
                                                 : INFINITY;
                    } else {
#pragma unroll
                        for (int j = 0; j < k_d_frags; ++j)
                            *reinterpret_cast<float2*>(o_accum + row * kHeadDim + j * 8 +
                                                       2 * (lane % 4)) =
                                make_float2(acc_o[mt][j][2 * h], acc_o[mt][j][2 * h + 1]);
                        if (lane % 4 == 0) {
                            m_hbm[row] = row_max[mt][h];
                            l_hbm[row] = sum;
                        }
                    }
                }
            __syncthreads();  // this Q stage is refilled by a later iteration
        }
        device::cp_async_wait<0>();
    }
}

template <typename T, int kHeadDim, int kBlockM, int kBlockN, int kWarps, int kStages>
void launch_flash1_fwd(const AttentionArgs& args, bool /*deterministic*/, cudaStream_t stream) {
    using Traits = Flash1FwdTraits<T, kHeadDim, kBlockM, kBlockN, kWarps, kStages>;
    auto kernel = flash1_fwd_kernel<T, kHeadDim, kBlockM, kBlockN, kWarps, kStages>;
    const dim3 grid(static_cast<unsigned>(args.heads), static_cast<unsigned>(args.batch));
    kernel<<<grid, Traits::k_threads, Traits::k_smem_bytes, stream>>>(args);
    FLASHSCOPE_CHECK_LAUNCH();
}

// Once per instantiation, when a launch is built (not on every launch).
template <typename T, int kHeadDim, int kBlockM, int kBlockN, int kWarps, int kStages>
void prepare_flash1_fwd() {
    using Traits = Flash1FwdTraits<T, kHeadDim, kBlockM, kBlockN, kWarps, kStages>;
    prepare_kernel(reinterpret_cast<const void*>(
                       flash1_fwd_kernel<T, kHeadDim, kBlockM, kBlockN, kWarps, kStages>),
                   Traits::k_smem_bytes);
}

template <typename T, int kHeadDim, int kBlockM, int kBlockN, int kWarps, int kStages>
void add_flash1_fwd(KernelRegistry& registry, bool is_default = false) {
    using Traits = Flash1FwdTraits<T, kHeadDim, kBlockM, kBlockN, kWarps, kStages>;
    registry.add(
        {make_key<T>(Algorithm::flash1, Pass::fwd, kHeadDim, kBlockM, kBlockN, kWarps, kStages),
         &launch_flash1_fwd<T, kHeadDim, kBlockM, kBlockN, kWarps, kStages>,
         &prepare_flash1_fwd<T, kHeadDim, kBlockM, kBlockN, kWarps, kStages>, Traits::k_smem_bytes,
         is_default});
}

}  // namespace flashscope::kernels::detail
