#pragma once
// FlashAttention-2 forward. One CTA per (Q block, head, batch); each warp owns kMTiles*16 query
// rows. K/V blocks stream through shared memory with cp.async, kStages deep; S = QK^T and O += PV
// run on tensor cores (mma.sync m16n8k16, operands by ldmatrix); the online softmax keeps its
// running max and sum in registers and rescales with exp2. Writes O and the logsumexp (fp32).
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
struct Flash2FwdTraits {
    static constexpr int k_threads = kWarps * 32;
    static constexpr int k_m_tiles = kBlockM / (16 * kWarps);  // 16-row MMA tiles per warp
    static_assert(k_m_tiles >= 1 && k_m_tiles * 16 * kWarps == kBlockM,
                  "block_m = 16 * warps * m_tiles");
    static_assert(kBlockN % 16 == 0 && kHeadDim % 16 == 0, "tiles are made of 16x16 MMA blocks");
    static_assert(kStages >= 2, "the K/V loop needs at least two stages");
    using QTile = device::SmemTile<kBlockM, kHeadDim>;   // (block_m, head_dim)
    using KvTile = device::SmemTile<kBlockN, kHeadDim>;  // (block_n, head_dim)
    static constexpr int k_smem_bytes = QTile::k_bytes + 2 * kStages * KvTile::k_bytes;
};

template <typename T, int kHeadDim, int kBlockM, int kBlockN, int kWarps, int kStages>
__global__ void __launch_bounds__(kWarps * 32) flash2_fwd_kernel(AttentionArgs args) {
    using Traits = Flash2FwdTraits<T, kHeadDim, kBlockM, kBlockN, kWarps, kStages>;
    using QTile = typename Traits::QTile;
    using KvTile = typename Traits::KvTile;
    constexpr int k_m_tiles = Traits::k_m_tiles;
    constexpr int k_d_frags = kHeadDim / 8;  // of O

    extern __shared__ __align__(128) unsigned char smem_raw[];
    T* s_q = reinterpret_cast<T*>(smem_raw);      // (block_m, head_dim)
    T* s_k = s_q + QTile::k_elements;             // kStages x (block_n, head_dim)
    T* s_v = s_k + kStages * KvTile::k_elements;  // kStages x (block_n, head_dim)

    const int thread = threadIdx.x;
    const int warp = thread / 32;
    const int lane = thread % 32;
    // Causal: the last Q blocks see the most keys; start them first so the grid's tail is made of
    // the short blocks (blocks are dispatched in blockIdx order, x fastest).
    const std::int64_t m_block = args.causal ? gridDim.x - 1 - blockIdx.x : blockIdx.x;
    const std::int64_t head = blockIdx.y;
    const std::int64_t batch = blockIdx.z;
    const std::int64_t kv_head = head / args.group();
    const std::int64_t m_start = m_block * kBlockM;
    const std::int64_t causal_offset = args.seq_k - args.seq_q;

    const T* q = tensor_at<const T>(args.q, batch, head) + m_start * args.q.row_stride;
    const T* k = tensor_at<const T>(args.k, batch, kv_head);
    const T* v = tensor_at<const T>(args.v, batch, kv_head);

    // Keys visible to the block's last row bound the loop.
    std::int64_t n_end = args.seq_k;
    if (args.causal && m_start + kBlockM + causal_offset < n_end)
        n_end = m_start + kBlockM + causal_offset;
    const int n_blocks = n_end <= 0 ? 0 : static_cast<int>((n_end + kBlockN - 1) / kBlockN);

    // K/V copy plan, fixed per thread: it copies one 16-byte column chunk of rows r0, r0 + R, ...
    // of every block, so its global offsets advance by a constant and its swizzled shared-memory
    // offsets are the same in every block (R is a multiple of the swizzle period).
    constexpr int k_chunks = KvTile::k_chunks;
    constexpr int k_rows_per_pass = Traits::k_threads / k_chunks;
    constexpr int k_passes = kBlockN / k_rows_per_pass;
    static_assert(Traits::k_threads % k_chunks == 0 && kBlockN % k_rows_per_pass == 0 &&
                      k_rows_per_pass % (KvTile::k_mask + 1) == 0,
                  "every thread copies whole passes of the K/V block");
    const int copy_row = thread / k_chunks;
    const int copy_col = (thread % k_chunks) * 8;
    const std::uint32_t copy_smem =
        2u * static_cast<std::uint32_t>(KvTile::offset(copy_row, copy_col));
    const T* k_src = k + copy_row * args.k.row_stride + copy_col;
    const T* v_src = v + copy_row * args.v.row_stride + copy_col;
    const std::int64_t k_pass_stride = k_rows_per_pass * args.k.row_stride;
    const std::int64_t v_pass_stride = k_rows_per_pass * args.v.row_stride;
    const std::uint32_t k_smem0 = device::smem_address(s_k) + copy_smem;
    const std::uint32_t v_smem0 = device::smem_address(s_v) + copy_smem;
    const int seq_k = static_cast<int>(args.seq_k);

    auto load_kv = [&](int n_block, int stage) {
        const int n0 = n_block * kBlockN;
        const int rows_left =
            seq_k - n0 - copy_row;  // rows of this thread's chunk still inside seq_k
        const T* k_block = k_src + static_cast<std::int64_t>(n0) * args.k.row_stride;
        const T* v_block = v_src + static_cast<std::int64_t>(n0) * args.v.row_stride;
        const std::uint32_t k_dst = k_smem0 + stage * KvTile::k_bytes;
        const std::uint32_t v_dst = v_smem0 + stage * KvTile::k_bytes;
#pragma unroll
        for (int p = 0; p < k_passes; ++p) {
            const bool valid = p * k_rows_per_pass < rows_left;
            constexpr std::uint32_t k_pass_bytes = k_rows_per_pass * kHeadDim * 2;
            device::cp_async_16(k_dst + p * k_pass_bytes, valid ? k_block + p * k_pass_stride : k,
                                valid);
            device::cp_async_16(v_dst + p * k_pass_bytes, valid ? v_block + p * v_pass_stride : v,
                                valid);
        }
    };

    device::load_tile_async<kBlockM, kHeadDim, Traits::k_threads>(s_q, q, args.q.row_stride, 0,
                                                                  args.seq_q - m_start, thread);
#pragma unroll
    for (int s = 0; s < kStages - 1; ++s) {
        if (s < n_blocks) load_kv(s, s);
        device::cp_async_commit();
    }

    float acc_o[k_m_tiles][k_d_frags][4];  // (16 * m_tiles, head_dim) per warp
    float row_max[k_m_tiles][2];           // log2 units, rows g and g+8
    float row_sum[k_m_tiles][2];           // this lane's partial sums
#pragma unroll
    for (int mt = 0; mt < k_m_tiles; ++mt) {
#pragma unroll
        for (int j = 0; j < k_d_frags; ++j)
#pragma unroll
            for (int e = 0; e < 4; ++e) acc_o[mt][j][e] = 0.f;
        row_max[mt][0] = row_max[mt][1] = -INFINITY;
        row_sum[mt][0] = row_sum[mt][1] = 0.f;
    }

    const float scale_log2 = args.scale * device::k_log2e;
    const int warp_row0 = warp * k_m_tiles * 16;
    const std::uint32_t q_base = device::smem_address(s_q);
    // Key index of the causal diagonal at the block's first row and at the warp's first row.
    const int block_diagonal = static_cast<int>(m_start + causal_offset);
    const int warp_diagonal = block_diagonal + warp_row0;

    for (int n_block = 0; n_block < n_blocks; ++n_block) {
        const int stage = n_block % kStages;
        // Groups in flight: blocks n_block .. n_block + kStages - 2; wait for this thread's copies
        // of n_block, then one barrier makes everyone's copies visible and also tells that every
        // warp has finished block n_block - 1, whose stage the next copy refills. One barrier per
        // block.
        device::cp_async_wait<kStages - 2>();
        __syncthreads();
        const int ahead = n_block + kStages - 1;
        if (ahead < n_blocks) load_kv(ahead, ahead % kStages);
        device::cp_async_commit();

        const std::uint32_t k_base = device::smem_address(s_k + stage * KvTile::k_elements);
        const std::uint32_t v_base = device::smem_address(s_v + stage * KvTile::k_elements);

        // Mask only the blocks that cross the end of the keys or the causal diagonal (32-bit
        // offsets relative to the block, see attend_block).
        const int n0 = n_block * kBlockN;
        const bool needs_mask =
            n0 + kBlockN > seq_k || (args.causal && n0 + kBlockN - 1 > block_diagonal);
        const int diagonal = args.causal ? warp_diagonal - n0 : (1 << 30);
        device::attend_block<T, kHeadDim, kBlockN, k_m_tiles, QTile, KvTile>(
            acc_o, row_max, row_sum, q_base, warp_row0, k_base, v_base, needs_mask, seq_k - n0,
            diagonal, scale_log2, lane);
    }
    device::cp_async_wait<0>();

    // Epilogue: normalise, write O (dtype) and the logsumexp (natural log; +inf for rows that
    // see no key, so that the backward pass gives them P = 0).
    T* o = tensor_at<T>(args.o, batch, head);
    float* lse = args.lse + (batch * args.heads + head) * args.seq_q;
#pragma unroll
    for (int mt = 0; mt < k_m_tiles; ++mt)
#pragma unroll
        for (int h = 0; h < 2; ++h) {
            const float sum = device::quad_sum(row_sum[mt][h]);
            const float inv = sum > 0.f ? 1.f / sum : 0.f;
            const std::int64_t row = m_start + warp_row0 + mt * 16 + lane / 4 + 8 * h;
            if (row >= args.seq_q) continue;
            T* o_row = o + row * args.o.row_stride;
#pragma unroll
            for (int j = 0; j < k_d_frags; ++j) {
                const std::uint32_t packed =
                    device::pack2<T>(acc_o[mt][j][2 * h] * inv, acc_o[mt][j][2 * h + 1] * inv);
                *reinterpret_cast<std::uint32_t*>(o_row + j * 8 + 2 * (lane % 4)) = packed;
            }
            if (lane % 4 == 0)
                lse[row] = sum > 0.f ? (row_max[mt][h] + log2f(sum)) * device::k_ln2 : INFINITY;
        }
}

template <typename T, int kHeadDim, int kBlockM, int kBlockN, int kWarps, int kStages>
void launch_flash2_fwd(const AttentionArgs& args, bool /*deterministic*/, cudaStream_t stream) {
    using Traits = Flash2FwdTraits<T, kHeadDim, kBlockM, kBlockN, kWarps, kStages>;
    auto kernel = flash2_fwd_kernel<T, kHeadDim, kBlockM, kBlockN, kWarps, kStages>;
    const dim3 grid(static_cast<unsigned>((args.seq_q + kBlockM - 1) / kBlockM),
                    static_cast<unsigned>(args.heads), static_cast<unsigned>(args.batch));
    kernel<<<grid, Traits::k_threads, Traits::k_smem_bytes, stream>>>(args);
    FLASHSCOPE_CHECK_LAUNCH();
}

// Once per instantiation, when a launch is built (not on every launch).
template <typename T, int kHeadDim, int kBlockM, int kBlockN, int kWarps, int kStages>
void prepare_flash2_fwd() {
    using Traits = Flash2FwdTraits<T, kHeadDim, kBlockM, kBlockN, kWarps, kStages>;
    prepare_kernel(reinterpret_cast<const void*>(
                       flash2_fwd_kernel<T, kHeadDim, kBlockM, kBlockN, kWarps, kStages>),
                   Traits::k_smem_bytes);
}

template <typename T, int kHeadDim, int kBlockM, int kBlockN, int kWarps, int kStages>
void add_flash2_fwd(KernelRegistry& registry, bool is_default = false) {
    using Traits = Flash2FwdTraits<T, kHeadDim, kBlockM, kBlockN, kWarps, kStages>;
    registry.add(
        {make_key<T>(Algorithm::flash2, Pass::fwd, kHeadDim, kBlockM, kBlockN, kWarps, kStages),
         &launch_flash2_fwd<T, kHeadDim, kBlockM, kBlockN, kWarps, kStages>,
         &prepare_flash2_fwd<T, kHeadDim, kBlockM, kBlockN, kWarps, kStages>, Traits::k_smem_bytes,
         is_default});
}

}  // namespace flashscope::kernels::detail
