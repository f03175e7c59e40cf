#pragma once
// FlashAttention-3 forward for Hopper (sm_90a). One CTA per (Q block of 64 * C rows, head, batch),
// C + 1 warpgroups with fixed roles (C = 2, or 3 for small head dims):
//   producer (warpgroup 0, registers given up to 24): one thread asks the copy engine (TMA) for the
//     Q tile once and for K and V blocks into a ring of kStages shared-memory stages, each stage
//     guarded by a "full" and an "empty" mbarrier per tensor;
//   consumers (warpgroups 1 .. C; 240 registers each for C = 2, 160 for C = 3): 64 query rows
//     each. Per K/V block j they issue S_j = Q K_j^T (wgmma, both operands in shared memory)
//     together with O += P_{j-1} V_{j-1} (wgmma, P from registers), then run the softmax of S_j
//     while that product is still on the tensor cores (intra-warpgroup overlap). Named barriers
//     make the consumers take turns issuing (ping-pong), so one's softmax runs under the others'
//     matrix products.
// The epilogue normalises O, writes it into the consumer's (no longer needed) Q rows of shared
// memory and stores it with the copy engine; the logsumexp goes out as flash2 writes it.
#include <cuda.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <type_traits>

#include "device/mma.cuh"
#include "device/sm90/mbarrier.cuh"
#include "device/sm90/online_softmax.cuh"
#include "device/sm90/tma.cuh"
#include "device/sm90/warpgroup.cuh"
#include "device/sm90/wgmma.cuh"
#include "flash3_fwd_smem.hpp"
#include "flashscope/kernels/attention_args.hpp"
#include "flashscope/kernels/cuda_error.hpp"
#include "kernel_common.hpp"
#include "tma_map.hpp"

namespace flashscope::kernels::detail {

struct Flash3Maps {
    CUtensorMap q, k, v, o;  // boxes (64, block_m), (64, block_n), (64, block_n), (64, 64)
};

namespace flash3 {

namespace sm90 = device::sm90;

// Named barriers 1 .. C: consumer c waits on 1 + c for its turn to issue and then signals the next
// consumer's. 1 + C .. 2C: one consumer's 128 threads before its O store.
inline constexpr int k_turn_barrier = 1;

template <typename Traits>
__device__ __forceinline__ void produce(const Flash3Maps& maps, const Flash3Smem<Traits>& smem,
                                        int n_blocks, int m_start, int head, int kv_head,
                                        int batch) {
    sm90::prefetch_tensor_map(&maps.q);
    sm90::prefetch_tensor_map(&maps.k);
    sm90::prefetch_tensor_map(&maps.v);
    sm90::mbarrier_arrive_expect_tx(smem.q_full(), Traits::k_q_bytes);
#pragma unroll
    for (int p = 0; p < Traits::k_panels; ++p)
        sm90::tma_load_4d(smem.q_panel(p), &maps.q, smem.q_full(), 64 * p, m_start, head, batch);

    // K_j goes out before V_{j-1}: K's stage frees as soon as S_j is computed, V's only after the
    // softmax that follows, so K loads never queue behind a V release.
    auto load_k = [&](int j) {
        const int stage = j % Traits::k_stages;
        sm90::mbarrier_wait(smem.k_empty(stage), ((j / Traits::k_stages) & 1) ^ 1);
        sm90::mbarrier_arrive_expect_tx(smem.k_full(stage), Traits::k_kv_bytes);
#pragma unroll
        for (int p = 0; p < Traits::k_panels; ++p)
            sm90::tma_load_4d(smem.k_panel(stage, p), &maps.k, smem.k_full(stage), 64 * p,
                              j * Traits::k_block_n, kv_head, batch);
    };
    auto load_v = [&](int j) {
        const int stage = j % Traits::k_stages;
        sm90::mbarrier_wait(smem.v_empty(stage), ((j / Traits::k_stages) & 1) ^ 1);
        sm90::mbarrier_arrive_expect_tx(smem.v_full(stage), Traits::k_kv_bytes);
#pragma unroll
        for (int p = 0; p < Traits::k_panels; ++p)
            sm90::tma_load_4d(smem.v_panel(stage, p), &maps.v, smem.v_full(stage), 64 * p,
                              j * Traits::k_block_n, kv_head, batch);
    };
    if (n_blocks == 0) return;
    load_k(0);
    for (int j = 1; j < n_blocks; ++j) {
        load_k(j);
        load_v(j - 1);
    }
    load_v(n_blocks - 1);
}

// What a consumer needs to know about its rows and the problem. 32-bit: the launcher checked that
// sequences stay below 2^31 - 256, so a row (< seq_q + 192) plus seq_k - seq_q stays below 2^31.
struct ConsumerRows {
    int first_row;      // this thread's first row (the second is 8 below)
    int warpgroup_row;  // the consumer's first row
    int seq_q, seq_k;
    // Causal: first_row + seq_k - seq_q, the last key the first row sees; otherwise INT_MAX, which
    // is >= 256 keys past any block start. The only per-thread value the masked blocks keep live.
    int last_key;
    int unmasked;  // blocks 0 .. unmasked - 1 need no mask for any of the consumer's rows

    __device__ ConsumerRows(const AttentionArgs& args, int warpgroup_row_, int thread)
        : first_row(warpgroup_row_ + (thread / 32) * 16 + (thread % 32) / 4),
          warpgroup_row(warpgroup_row_),
          seq_q(static_cast<int>(args.seq_q)),
          seq_k(static_cast<int>(args.seq_k)) {
        const int causal_offset = static_cast<int>(args.seq_k - args.seq_q);
        last_key = args.causal ? first_row + causal_offset : 0x7fffffff;
        unmasked = seq_k;  // in keys, then in blocks (see unmasked_blocks)
        if (args.causal) {
            const int visible = warpgroup_row + causal_offset + 1;  // keys row 0 sees
            unmasked = visible < 0 ? 0 : (visible < unmasked ? visible : unmasked);
        }
    }

    __device__ sm90::BlockMask mask(int n0) const {
        sm90::BlockMask m;
        const int limit = seq_k - n0;
        m.key_limit = limit;
        std::int64_t diagonal = std::int64_t{last_key} - n0;
        if (diagonal > (1 << 30)) diagonal = 1 << 30;
        if (diagonal < -(1 << 30)) diagonal = -(1 << 30);
        m.diagonal = static_cast<int>(diagonal);
        return m;
    }

    __device__ int unmasked_blocks(int block_n) const { return unmasked / block_n; }
};

template <typename T, typename Traits>
__device__ __forceinline__ void consume(const AttentionArgs& args, const Flash3Maps& maps,
                                        const Flash3Smem<Traits>& smem, int consumer, int n_blocks,
                                        const ConsumerRows& rows, int head, int batch) {
    constexpr int kD = Traits::k_head_dim;
    constexpr int kN = Traits::k_block_n;
    constexpr int kStages = Traits::k_stages;
    using QkMma = sm90::Wgmma<kN, T>;
    using PvMma = sm90::Wgmma<kD, T>;
    const int thread = threadIdx.x % sm90::k_warpgroup_threads;
    const int lane = thread % 32;
    constexpr int kConsumers = Traits::k_consumers;
    const int my_turn = k_turn_barrier + consumer;
    const int next_turn = k_turn_barrier + (consumer + 1) % kConsumers;
    constexpr int k_pair = 2 * sm90::k_warpgroup_threads;  // one consumer syncs, one arrives
    // Where O takes the softmax's correction: after the PV product completes (off the turn), or,
    // with three consumers at 160 registers, before the next PV issue, which keeps `correction`
    // from living across the softmax (otherwise ptxas spills).
    constexpr bool k_rescale_early = kConsumers == 3;

    float o[kD / 2];              // (64, head_dim) of this consumer
    float s[kN / 2];              // (64, block_n): S, then P in fp32
    std::uint32_t p[kN / 16][4];  // P as the A operand of the PV product
    float row_max[2] = {-INFINITY, -INFINITY}, row_sum[2] = {0.f, 0.f}, correction[2];
    bool rescale = false;  // O needs `correction` (some row of this warp moved its max)
#pragma unroll
    for (int i = 0; i < kD / 2; ++i) o[i] = 0.f;
    const float scale_log2 = args.scale * device::k_log2e;
    const std::uint32_t q_rows = smem.q_rows(consumer);
    const bool never = rows.seq_q < 0;  // false, but not to the compiler

    // Operand descriptors, made once: a step inside the shared memory adds (bytes / 16) to the
    // address field (14 bits of 16-byte units cover all of it, so nothing carries out).
    const std::uint64_t q_desc = sm90::k_major_descriptor(q_rows);
    const std::uint64_t k_desc = sm90::k_major_descriptor(smem.k_panel(0, 0));
    const std::uint64_t v_desc =
        sm90::n_major_descriptor(smem.v_panel(0, 0), Traits::k_kv_panel_bytes);
    auto issue_qk = [&](int stage) {
        const std::uint64_t k_stage = k_desc + stage * (Traits::k_kv_bytes >> 4);
#pragma unroll
        for (int k = 0; k < kD / 16; ++k) {
            const std::uint32_t step = (k % 4) * 32;  // 16 columns inside a 64-column panel
            QkMma::template ss<0>(s, q_desc + (((k / 4) * Traits::k_q_panel_bytes + step) >> 4),
                                  k_stage + (((k / 4) * Traits::k_kv_panel_bytes + step) >> 4),
                                  k > 0);
        }
    };
    auto issue_pv = [&](int stage) {
        const std::uint64_t v_stage = v_desc + stage * (Traits::k_kv_bytes >> 4);
#pragma unroll
        for (int k = 0; k < kN / 16; ++k)
            PvMma::template rs<1>(o, p[k], v_stage + ((k * 16 * 128) >> 4), 1);
    };
    // The fences keep the compiler's front end from moving softmax work past the waits around it
    // (ptxas itself is held by hold_next_wait_here below).
    auto softmax = [&](int j, auto masked) {
        constexpr bool kMasked = decltype(masked)::value;
        rescale = online_softmax<kN, kMasked, Traits::k_poly_chunks>(
            s, row_max, row_sum, correction, scale_log2, rows.mask(j * kN), lane);
        sm90::fence_operands(s);
        sm90::fence_operands(row_sum);
        sm90::fence_operands(correction);
    };
    // A stage is free once every consumer warp's products that read it are done.
    auto release = [&](std::uint32_t empty_barrier) {
        if (lane == 0) sm90::mbarrier_arrive(empty_barrier);
    };
    // One K/V block j >= 1: S_j and P_{j-1} V_{j-1} on the tensor cores in this consumer's turn,
    // then the softmax of S_j under P_{j-1} V_{j-1}.
    auto step = [&](int j, auto masked) {
        const int stage = j % kStages, last = (j - 1) % kStages;
        sm90::mbarrier_wait(smem.k_full(stage), (j / kStages) & 1);
        sm90::mbarrier_wait(smem.v_full(last), ((j - 1) / kStages) & 1);
        sm90::named_barrier_sync(my_turn, k_pair);
        sm90::fence();
        issue_qk(stage);
        sm90::commit();
        if constexpr (k_rescale_early) {
            // O is idle until P_{j-1} V_{j-1} is issued: bring it to block j-1's max now.
            if (rescale) sm90::rescale_rows<kD>(o, correction);
            sm90::fence();
        }
        issue_pv(last);
        sm90::commit();
        sm90::named_barrier_arrive(next_turn, k_pair);
        sm90::wait<1>();  // S_j is ready; P_{j-1} V_{j-1} may still run
        sm90::fence_operands(s);
        release(smem.k_empty(stage));
        softmax(j, masked);
        sm90::hold_next_wait_here(never, q_rows);  // the exponentials above overlap PV
        sm90::wait<0>();
        release(smem.v_empty(last));
        sm90::fence_operands(o);
        sm90::fence_operands(p);
        if constexpr (!k_rescale_early)
            if (rescale) sm90::rescale_rows<kD>(o, correction);
        sm90::to_a_fragments<T, kN>(s, p);
    };
    using Masked = std::true_type;
    using Unmasked = std::false_type;

    sm90::mbarrier_wait(smem.q_full(), 0);
    if (n_blocks > 0) {
        if (consumer == kConsumers - 1)
            sm90::named_barrier_arrive(next_turn, k_pair);  // consumer 0 goes first
        sm90::mbarrier_wait(smem.k_full(0), 0);
        sm90::named_barrier_sync(my_turn, k_pair);
        sm90::fence();
        issue_qk(0);
        sm90::commit();
        sm90::named_barrier_arrive(next_turn, k_pair);
        sm90::wait<0>();
        sm90::fence_operands(s);
        release(smem.k_empty(0));
        softmax(0, Masked{});
        sm90::to_a_fragments<T, kN>(s, p);

        // The mask is compiled only into the blocks at seq_k's end and the causal diagonal.
        int j = 1;
        const int unmasked = rows.unmasked_blocks(kN);
        for (const int end = unmasked < n_blocks ? unmasked : n_blocks; j < end; ++j)
            step(j, Unmasked{});
        for (; j < n_blocks; ++j) step(j, Masked{});

        const int last = (n_blocks - 1) % kStages;
        sm90::mbarrier_wait(smem.v_full(last), ((n_blocks - 1) / kStages) & 1);
        sm90::named_barrier_sync(my_turn, k_pair);
        if constexpr (k_rescale_early)
            if (rescale) sm90::rescale_rows<kD>(o, correction);
        sm90::fence();
        issue_pv(last);
        sm90::commit();
        sm90::named_barrier_arrive(next_turn, k_pair);
        sm90::wait<0>();
        sm90::fence_operands(o);
        sm90::fence_operands(p);
        release(smem.v_empty(last));
        // The last consumer signalled consumer 0 once more than it waited: take that arrival.
        if (consumer == 0) sm90::named_barrier_sync(my_turn, k_pair);
    }

    // Epilogue: normalise, logsumexp (natural log; +inf for rows that see no key), O through the
    // consumer's Q rows of shared memory (swizzled as the O map expects) and one TMA store.
    float* lse = args.lse + (std::int64_t{batch} * args.heads + head) * args.seq_q;
    float inv[2];
#pragma unroll
    for (int h = 0; h < 2; ++h) {
        const float sum = device::quad_sum(row_sum[h]);
        inv[h] = sum > 0.f ? 1.f / sum : 0.f;
        const int row = rows.first_row + 8 * h;
        if (row < rows.seq_q && lane % 4 == 0)
            lse[row] = sum > 0.f ? (row_max[h] + log2f(sum)) * device::k_ln2 : INFINITY;
    }
    const int warp = thread / 32;
#pragma unroll
    for (int c = 0; c < kD / 8; ++c)
#pragma unroll
        for (int h = 0; h < 2; ++h) {
            const int r = warp * 16 + lane / 4 + 8 * h;  // row in the consumer's 64
            const int chunk = (c % 8) ^ (r % 8);         // 128-byte swizzle of 16-byte chunks
            const std::uint32_t address =
                q_rows + (c / 8) * Traits::k_q_panel_bytes + r * 128 + chunk * 16 + (lane % 4) * 4;
            const std::uint32_t packed =
                device::pack2<T>(o[4 * c + 2 * h] * inv[h], o[4 * c + 2 * h + 1] * inv[h]);
            asm volatile("st.shared.u32 [%0], %1;\n" ::"r"(address), "r"(packed) : "memory");
        }
    sm90::fence_proxy_async_shared();
    sm90::named_barrier_sync(k_turn_barrier + kConsumers + consumer, sm90::k_warpgroup_threads);
    if (thread == 0 && rows.warpgroup_row < rows.seq_q) {
        const int row0 = rows.warpgroup_row;
#pragma unroll
        for (int panel = 0; panel < Traits::k_panels; ++panel)
            sm90::tma_store_4d(&maps.o, q_rows + panel * Traits::k_q_panel_bytes, 64 * panel, row0,
                               head, batch);
        sm90::tma_store_commit();
        sm90::tma_store_wait_read();
    }
}

}  // namespace flash3

template <typename T, int kHeadDim, int kBlockM, int kBlockN, int kWarps, int kStages, int kPoly>
__global__ void __launch_bounds__(kWarps * 32, 1)
    flash3_fwd_kernel(const AttentionArgs args, const __grid_constant__ Flash3Maps maps) {
    using Traits = Flash3FwdTraits<kHeadDim, kBlockM, kBlockN, kWarps, kStages, kPoly>;
    extern __shared__ unsigned char smem_raw[];
    const Flash3Smem<Traits> smem(device::smem_address(smem_raw));

    // Causal: the last Q blocks see the most keys; start them first (as flash2 does).
    const int m_block = args.causal ? gridDim.x - 1 - blockIdx.x : blockIdx.x;
    const int head = blockIdx.y;
    const int batch = blockIdx.z;
    const int kv_head = static_cast<int>(head / args.group());
    const std::int64_t m_start = std::int64_t{m_block} * kBlockM;
    const std::int64_t causal_offset = args.seq_k - args.seq_q;
    std::int64_t n_end = args.seq_k;  // keys visible to the block's last row bound the loop
    if (args.causal && m_start + kBlockM + causal_offset < n_end)
        n_end = m_start + kBlockM + causal_offset;
    const int n_blocks = n_end <= 0 ? 0 : static_cast<int>((n_end + kBlockN - 1) / kBlockN);

    if (threadIdx.x == 0) smem.init_barriers();
    __syncthreads();

    const int warpgroup = device::sm90::warp_uniform(threadIdx.x / 128);
    if (warpgroup == 0) {
        device::sm90::release_registers<Traits::k_producer_registers>();
        if (threadIdx.x == 0)
            flash3::produce(maps, smem, n_blocks, static_cast<int>(m_start), head, kv_head, batch);
    } else {
        device::sm90::claim_registers<Traits::k_consumer_registers>();
        const int consumer = warpgroup - 1;
        const flash3::ConsumerRows rows(args, static_cast<int>(m_start) + 64 * consumer,
                                        threadIdx.x % 128);
        flash3::consume<T>(args, maps, smem, consumer, n_blocks, rows, head, batch);
    }
}

// EXPERIMENT (removed before merge): FLASHSCOPE_FLASH3_POLY=N picks how many of every 8 chunks
// take poly_exp2 at d = 64.
inline int flash3_poly_override() {
    const char* text = std::getenv("FLASHSCOPE_FLASH3_POLY");
    return text == nullptr ? -1 : std::atoi(text);
}

template <typename T, int kHeadDim, int kBlockM, int kBlockN, int kWarps, int kStages, int kPoly>
void launch_flash3_fwd_variant(const AttentionArgs& args, cudaStream_t stream) {
    using Traits = Flash3FwdTraits<kHeadDim, kBlockM, kBlockN, kWarps, kStages, kPoly>;
    check_flash3_shape(args);
    Flash3Maps maps;
    maps.q =
        make_tile_map(args.q, args.dtype, args.batch, args.heads, args.seq_q, kHeadDim, kBlockM);
    maps.k =
        make_tile_map(args.k, args.dtype, args.batch, args.kv_heads, args.seq_k, kHeadDim, kBlockN);
    maps.v =
        make_tile_map(args.v, args.dtype, args.batch, args.kv_heads, args.seq_k, kHeadDim, kBlockN);
    maps.o = make_tile_map(args.o, args.dtype, args.batch, args.heads, args.seq_q, kHeadDim, 64);
    const dim3 grid(static_cast<unsigned>((args.seq_q + kBlockM - 1) / kBlockM),
                    static_cast<unsigned>(args.heads), static_cast<unsigned>(args.batch));
    flash3_fwd_kernel<T, kHeadDim, kBlockM, kBlockN, kWarps, kStages, kPoly>
        <<<grid, Traits::k_threads, Traits::k_smem_bytes, stream>>>(args, maps);
    FLASHSCOPE_CHECK_LAUNCH();
}

template <typename T, int kHeadDim, int kBlockM, int kBlockN, int kWarps, int kStages>
void launch_flash3_fwd(const AttentionArgs& args, bool /*deterministic*/, cudaStream_t stream) {
    if constexpr (kHeadDim == 64) {
        switch (flash3_poly_override()) {
        case 0:
            return launch_flash3_fwd_variant<T, kHeadDim, kBlockM, kBlockN, kWarps, kStages, 0>(
                args, stream);
        case 2:
            return launch_flash3_fwd_variant<T, kHeadDim, kBlockM, kBlockN, kWarps, kStages, 2>(
                args, stream);
        default:
            break;
        }
    }
    launch_flash3_fwd_variant<T, kHeadDim, kBlockM, kBlockN, kWarps, kStages, -1>(args, stream);
}

// Once per instantiation, when a launch is built (not on every launch).
template <typename T, int kHeadDim, int kBlockM, int kBlockN, int kWarps, int kStages>
void prepare_flash3_fwd() {
    using Traits = Flash3FwdTraits<kHeadDim, kBlockM, kBlockN, kWarps, kStages>;
    check_flash3_device();
    prepare_kernel(reinterpret_cast<const void*>(
                       flash3_fwd_kernel<T, kHeadDim, kBlockM, kBlockN, kWarps, kStages, -1>),
                   Traits::k_smem_bytes);
    if constexpr (kHeadDim == 64) {
        prepare_kernel(reinterpret_cast<const void*>(
                           flash3_fwd_kernel<T, kHeadDim, kBlockM, kBlockN, kWarps, kStages, 0>),
                       Traits::k_smem_bytes);
        prepare_kernel(reinterpret_cast<const void*>(
                           flash3_fwd_kernel<T, kHeadDim, kBlockM, kBlockN, kWarps, kStages, 2>),
                       Traits::k_smem_bytes);
    }
}

template <typename T, int kHeadDim, int kBlockM, int kBlockN, int kWarps, int kStages>
void add_flash3_fwd(KernelRegistry& registry, bool is_default = false) {
    using Traits = Flash3FwdTraits<kHeadDim, kBlockM, kBlockN, kWarps, kStages>;
    registry.add({make_key<T>(parse_algorithm("flash3"), Pass::fwd, kHeadDim, kBlockM, kBlockN,
                              kWarps, kStages),
                  &launch_flash3_fwd<T, kHeadDim, kBlockM, kBlockN, kWarps, kStages>,
                  &prepare_flash3_fwd<T, kHeadDim, kBlockM, kBlockN, kWarps, kStages>,
                  Traits::k_smem_bytes, is_default});
}

}  // namespace flashscope::kernels::detail
