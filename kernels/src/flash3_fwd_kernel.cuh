#pragma once
// FlashAttention-3 forward for Hopper (sm_90a). A persistent grid: one CTA per SM (at most one per
// work tile), each looping over work tiles of (64 * C query rows, head, batch) that a tile
// scheduler hands out, C + 1 warpgroups with fixed roles (C = 2, or 3 for small head dims):
//   producer (warpgroup 0, registers given up to 24): one warp takes the CTA's next tile
//     from the scheduler and one of its threads asks the copy engine (TMA) for its Q tile and its K
//     and V blocks, into a ring of kStages shared-memory stages that runs on across tiles, each
//     stage guarded by a "full" and an "empty" mbarrier per tensor; Q by q_full / q_empty, which
//     also carry the tile's index;
//   consumers (warpgroups 1 .. C; 240 registers each for C = 2, 160 for C = 3): 64 query rows
//     each. Per K/V block j they issue S_j = Q K_j^T (wgmma, both operands in shared memory)
//     together with O += P_{j-1} V_{j-1} (wgmma, P from registers), then run the softmax of S_j
//     while that product is still on the tensor cores (intra-warpgroup overlap). Named barriers
//     make the consumers take turns issuing (ping-pong), so one's softmax runs under the others'
//     matrix products; the turns run on across tiles.
// The epilogue normalises O, writes it into the consumer's rows of the O staging tile and stores
// it with the copy engine without waiting; the logsumexp goes out as flash2 writes it. Meanwhile
// the producer has loaded the next tile's Q (released after the last S of this one) and its first
// K/V blocks, so a tile's start and end overlap its neighbours' (where O has no room of its own,
// at d = 256 and block_n 176, O reuses Q's rows and the next Q waits for the store).
#include <cuda.h>
#include <cuda_runtime.h>

#include <algorithm>
#include <atomic>
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
#include "flashscope/core/error.hpp"
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

// Tile counters of the dynamic scheduler, one pair per launch slot: [0] hands out tiles past the
// grid's first ones, [1] counts CTAs that found none left; the last such CTA zeroes both, so
// every launch finds its slot at zero. Launches take slots in turn (k_scheduler_slots of them),
// so launches on concurrent streams do not share one. One copy per compilation unit.
inline constexpr int k_scheduler_slots = 64;
namespace {
__device__ unsigned g_tile_counters[k_scheduler_slots][2];
std::atomic<unsigned> g_next_slot{0};
}  // namespace

// Work tiles numbered with the Q block fastest, so that CTAs working at the same time share a K/V
// head (L2 reuse); causal: each head's heaviest (last) Q blocks first. 32-bit: the launcher
// checked that sequences stay below 2^31 - 256 and the tile count below 2^31.
struct TileSchedule {
    int m_blocks, heads, tiles;
    int group;        // query heads per K/V head
    int seq_k;        // keys
    int causal_keys;  // seq_k - seq_q: causal, row r sees keys 0 .. r + causal_keys
    bool causal;
    unsigned* counters;

    // (Unsigned division: shorter code, which the producer's 24 registers need.)
    __device__ int m_block(int tile) const {
        const int m = static_cast<int>(unsigned(tile) % unsigned(m_blocks));
        return causal ? m_blocks - 1 - m : m;
    }
    __device__ int head(int tile) const {
        return static_cast<int>(unsigned(tile) / unsigned(m_blocks) % unsigned(heads));
    }
    __device__ int batch(int tile) const {
        return static_cast<int>(unsigned(tile) / unsigned(m_blocks) / unsigned(heads));
    }
    __device__ int kv_head(int head) const {
        return static_cast<int>(unsigned(head) / unsigned(group));
    }
    // The K/V blocks of a tile starting at query row m_start: keys visible to its last row.
    __device__ int kv_blocks(int m_start, int block_m, int block_n) const {
        int n_end = seq_k;
        if (causal && m_start + block_m + causal_keys < n_end)
            n_end = m_start + block_m + causal_keys;  // < seq_k here, so no overflow
        return n_end <= 0 ? 0 : (n_end + block_n - 1) / block_n;
    }
    // By the producer warp: the CTA's next tile (>= tiles: none left), asked by lane 0.
    __device__ int next() const {
        int tile = 0;
        if (threadIdx.x % 32 == 0) {
            tile = static_cast<int>(gridDim.x + atomicAdd(&counters[0], 1u));
            if (tile >= tiles && atomicAdd(&counters[1], 1u) == gridDim.x - 1) {
                atomicExch(&counters[0], 0u);  // every CTA has taken its last tile
                atomicExch(&counters[1], 0u);
            }
        }
        return sm90::warp_uniform(tile);
    }
};

__device__ __forceinline__ void store_shared(std::uint32_t address, int value) {
    asm volatile("st.shared.u32 [%0], %1;\n" ::"r"(address), "r"(value) : "memory");
}

__device__ __forceinline__ int load_shared(std::uint32_t address) {
    int value;
    asm volatile("ld.shared.u32 %0, [%1];\n" : "=r"(value) : "r"(address) : "memory");
    return value;
}

// Named barriers 1 .. C: consumer c waits on 1 + c for its turn to issue and then signals the next
// consumer's. 1 + C .. 2C: one consumer's 128 threads around its O staging.
inline constexpr int k_turn_barrier = 1;

template <typename Traits>
__device__ __forceinline__ void produce(const Flash3Maps& maps, const Flash3Smem<Traits>& smem,
                                        const TileSchedule& schedule) {
    constexpr int kN = Traits::k_block_n;
    constexpr int kM = Traits::k_consumers * 64;
    constexpr int kStages = Traits::k_stages;
    sm90::prefetch_tensor_map(&maps.q);
    sm90::prefetch_tensor_map(&maps.k);
    sm90::prefetch_tensor_map(&maps.v);

    // K/V block j of the tile at ring position b (blocks loaded so far, over all tiles).
    const bool leader = threadIdx.x == 0;  // issues the copies; the warp keeps the loop uniform
    auto load_k = [&](int b, int j, int kv_head, int batch) {
        const int stage = b % kStages;
        sm90::mbarrier_wait(smem.k_empty(stage), ((b / kStages) & 1) ^ 1);
        if (leader) {
            sm90::mbarrier_arrive_expect_tx(smem.k_full(stage), Traits::k_kv_bytes);
#pragma unroll
            for (int p = 0; p < Traits::k_panels; ++p)
                sm90::tma_load_4d(smem.k_panel(stage, p), &maps.k, smem.k_full(stage), 64 * p,
                                  j * kN, kv_head, batch);
        }
    };
    auto load_v = [&](int b, int j, int kv_head, int batch) {
        const int stage = b % kStages;
        sm90::mbarrier_wait(smem.v_empty(stage), ((b / kStages) & 1) ^ 1);
        if (leader) {
            sm90::mbarrier_arrive_expect_tx(smem.v_full(stage), Traits::k_kv_bytes);
#pragma unroll
            for (int p = 0; p < Traits::k_panels; ++p)
                sm90::tma_load_4d(smem.v_panel(stage, p), &maps.v, smem.v_full(stage), 64 * p,
                                  j * kN, kv_head, batch);
        }
    };

    int block = 0;
    int tile = static_cast<int>(blockIdx.x);
    for (int round = 0;; ++round) {
        if (tile >= schedule.tiles) {
            sm90::mbarrier_wait(smem.q_empty(), (round & 1) ^ 1);
            if (leader) {
                store_shared(smem.tile_slot(), tile);
                sm90::mbarrier_arrive(smem.q_full());  // no tile: the consumers stop
            }
            return;
        }
        const int next = schedule.next();  // in flight while this tile loads
        const int m_start = schedule.m_block(tile) * kM;
        const int head = schedule.head(tile), batch = schedule.batch(tile);
        const int kv_head = schedule.kv_head(head);
        const int n_blocks = schedule.kv_blocks(m_start, kM, kN);
        // K_0 may go before the previous tile's consumers are done with Q.
        if (n_blocks > 0) load_k(block, 0, kv_head, batch);
        sm90::mbarrier_wait(smem.q_empty(), (round & 1) ^ 1);
        if (leader) {
            store_shared(smem.tile_slot(), tile);
            sm90::mbarrier_arrive_expect_tx(smem.q_full(), Traits::k_q_bytes);
#pragma unroll
            for (int p = 0; p < Traits::k_panels; ++p)
                sm90::tma_load_4d(smem.q_panel(p), &maps.q, smem.q_full(), 64 * p, m_start, head,
                                  batch);
        }
        // K_j goes out before V_{j-1}: K's stage frees as soon as S_j is computed, V's only after
        // the softmax that follows, so K loads never queue behind a V release.
        for (int j = 1; j < n_blocks; ++j) {
            load_k(block + j, j, kv_head, batch);
            load_v(block + j - 1, j - 1, kv_head, batch);
        }
        if (n_blocks > 0) load_v(block + n_blocks - 1, n_blocks - 1, kv_head, batch);
        block += n_blocks;
        tile = next;
    }
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

// One work tile's K/V loop for one consumer: O (unnormalised), the row max and sum come back.
// `block` is the ring position of the tile's first K/V block. Releases Q (q_empty) once its last
// S is computed when O has a staging tile of its own.
template <typename T, typename Traits>
__device__ __forceinline__ void attend(const AttentionArgs& args, const Flash3Smem<Traits>& smem,
                                       int consumer, int block, int n_blocks,
                                       const ConsumerRows& rows, float (&o)[Traits::k_head_dim / 2],
                                       float (&row_max)[2], float (&row_sum)[2]) {
    constexpr int kD = Traits::k_head_dim;
    constexpr int kN = Traits::k_block_n;
    constexpr int kStages = Traits::k_stages;
    using QkMma = sm90::Wgmma<kN, T>;
    using PvMma = sm90::Wgmma<kD, T>;
    const int lane = threadIdx.x % 32;
    constexpr int kConsumers = Traits::k_consumers;
    const int my_turn = k_turn_barrier + consumer;
    const int next_turn = k_turn_barrier + (consumer + 1) % kConsumers;
    constexpr int k_pair = 2 * sm90::k_warpgroup_threads;  // one consumer syncs, one arrives
    // Where O takes the softmax's correction: after the PV product completes (off the turn), or,
    // with three consumers at 160 registers, before the next PV issue, which keeps `correction`
    // from living across the softmax (otherwise ptxas spills).
    constexpr bool k_rescale_early = kConsumers == 3;

    float s[kN / 2];              // (64, block_n): S, then P in fp32
    std::uint32_t p[kN / 16][4];  // P as the A operand of the PV product
    float correction[2];
    bool rescale = false;  // O needs `correction` (some row of this warp moved its max)
#pragma unroll
    for (int i = 0; i < kD / 2; ++i) o[i] = 0.f;
    row_max[0] = row_max[1] = -INFINITY;
    row_sum[0] = row_sum[1] = 0.f;
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
    auto release_q = [&] {
        if constexpr (Traits::k_separate_o) release(smem.q_empty());
    };
    // One K/V block j >= 1: S_j and P_{j-1} V_{j-1} on the tensor cores in this consumer's turn,
    // then the softmax of S_j under P_{j-1} V_{j-1}.
    auto step = [&](int j, auto masked) {
        const int b = block + j;
        const int stage = b % kStages, last = (b - 1) % kStages;
        sm90::mbarrier_wait(smem.k_full(stage), (b / kStages) & 1);
        sm90::mbarrier_wait(smem.v_full(last), ((b - 1) / kStages) & 1);
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
        if (j == n_blocks - 1) release_q();
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

    if (n_blocks == 0) {
        release_q();
        return;
    }
    const int first = block % kStages;
    sm90::mbarrier_wait(smem.k_full(first), (block / kStages) & 1);
    sm90::named_barrier_sync(my_turn, k_pair);
    sm90::fence();
    issue_qk(first);
    sm90::commit();
    sm90::named_barrier_arrive(next_turn, k_pair);
    sm90::wait<0>();
    sm90::fence_operands(s);
    release(smem.k_empty(first));
    if (n_blocks == 1) release_q();
    softmax(0, Masked{});
    sm90::to_a_fragments<T, kN>(s, p);

    // The mask is compiled only into the blocks at seq_k's end and the causal diagonal.
    int j = 1;
    const int unmasked = rows.unmasked_blocks(kN);
    for (const int end = unmasked < n_blocks ? unmasked : n_blocks; j < end; ++j)
        step(j, Unmasked{});
    for (; j < n_blocks; ++j) step(j, Masked{});

    const int last = (block + n_blocks - 1) % kStages;
    sm90::mbarrier_wait(smem.v_full(last), ((block + n_blocks - 1) / kStages) & 1);
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
}

// Normalises O, writes the logsumexp (natural log; +inf for rows that see no key) and O through
// the consumer's rows of the staging tile (swizzled as the O map expects) with one TMA store,
// which the next tile's epilogue (or the kernel's end) waits for.
template <typename T, typename Traits>
__device__ __forceinline__ void store_output(const AttentionArgs& args, const Flash3Maps& maps,
                                             const Flash3Smem<Traits>& smem, int consumer,
                                             const ConsumerRows& rows, int head, int batch,
                                             const float (&o)[Traits::k_head_dim / 2],
                                             const float (&row_max)[2], const float (&row_sum)[2]) {
    constexpr int kD = Traits::k_head_dim;
    const int thread = threadIdx.x % sm90::k_warpgroup_threads;
    const int lane = thread % 32;
    const int staging_barrier = k_turn_barrier + Traits::k_consumers + consumer;
    const std::uint32_t o_rows = smem.o_rows(consumer);
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
    // The previous tile's store must have read the staging rows.
    if (thread == 0) sm90::tma_store_wait_read();
    sm90::named_barrier_sync(staging_barrier, sm90::k_warpgroup_threads);
    const int warp = thread / 32;
#pragma unroll
    for (int c = 0; c < kD / 8; ++c)
#pragma unroll
        for (int h = 0; h < 2; ++h) {
            const int r = warp * 16 + lane / 4 + 8 * h;  // row in the consumer's 64
            const int chunk = (c % 8) ^ (r % 8);         // 128-byte swizzle of 16-byte chunks
            const std::uint32_t address =
                o_rows + (c / 8) * Traits::k_q_panel_bytes + r * 128 + chunk * 16 + (lane % 4) * 4;
            const std::uint32_t packed =
                device::pack2<T>(o[4 * c + 2 * h] * inv[h], o[4 * c + 2 * h + 1] * inv[h]);
            store_shared(address, static_cast<int>(packed));
        }
    sm90::fence_proxy_async_shared();
    sm90::named_barrier_sync(staging_barrier, sm90::k_warpgroup_threads);
    if (thread == 0) {
        if (rows.warpgroup_row < rows.seq_q) {
#pragma unroll
            for (int panel = 0; panel < Traits::k_panels; ++panel)
                sm90::tma_store_4d(&maps.o, o_rows + panel * Traits::k_q_panel_bytes, 64 * panel,
                                   rows.warpgroup_row, head, batch);
            sm90::tma_store_commit();
        }
        if constexpr (!Traits::k_separate_o) sm90::tma_store_wait_read();
    }
    if constexpr (!Traits::k_separate_o) {
        // O sits in Q's rows: the next Q may come once the store has read them.
        sm90::named_barrier_sync(staging_barrier, sm90::k_warpgroup_threads);
        if (lane == 0) sm90::mbarrier_arrive(smem.q_empty());
    }
}

template <typename T, typename Traits>
__device__ __forceinline__ void consume(const AttentionArgs& args, const Flash3Maps& maps,
                                        const Flash3Smem<Traits>& smem,
                                        const TileSchedule& schedule, int consumer) {
    constexpr int kM = Traits::k_consumers * 64;
    const int my_turn = k_turn_barrier + consumer;
    const int next_turn = k_turn_barrier + (consumer + 1) % Traits::k_consumers;
    constexpr int k_pair = 2 * sm90::k_warpgroup_threads;
    float o[Traits::k_head_dim / 2];  // (64, head_dim) of this consumer
    float row_max[2], row_sum[2];

    if (consumer == Traits::k_consumers - 1)
        sm90::named_barrier_arrive(next_turn, k_pair);  // consumer 0 goes first
    int block = 0;  // K/V blocks consumed so far: the ring position
    for (int round = 0;; ++round) {
        sm90::mbarrier_wait(smem.q_full(), round & 1);
        // Lane 0 reads the tile for its warp: the lanes that release Q (q_empty) are the readers.
        int tile = 0;
        if (threadIdx.x % 32 == 0) tile = load_shared(smem.tile_slot());
        tile = sm90::warp_uniform(tile);
        if (tile >= schedule.tiles) break;
        const int m_start = schedule.m_block(tile) * kM;
        const int head = schedule.head(tile), batch = schedule.batch(tile);
        const int n_blocks = schedule.kv_blocks(m_start, kM, Traits::k_block_n);
        const ConsumerRows rows(args, m_start + 64 * consumer,
                                threadIdx.x % sm90::k_warpgroup_threads);
        attend<T>(args, smem, consumer, block, n_blocks, rows, o, row_max, row_sum);
        block += n_blocks;
        store_output<T>(args, maps, smem, consumer, rows, head, batch, o, row_max, row_sum);
    }
    // The last consumer signalled consumer 0 once more than it waited: take that arrival.
    if (consumer == 0) sm90::named_barrier_sync(my_turn, k_pair);
    if (threadIdx.x % sm90::k_warpgroup_threads == 0) sm90::tma_store_wait_read();
}

}  // namespace flash3

template <typename T, int kHeadDim, int kBlockM, int kBlockN, int kWarps, int kStages>
__global__ void __launch_bounds__(kWarps * 32, 1)
    flash3_fwd_kernel(const AttentionArgs args, const __grid_constant__ Flash3Maps maps,
                      const flash3::TileSchedule schedule) {
    using Traits = Flash3FwdTraits<kHeadDim, kBlockM, kBlockN, kWarps, kStages>;
    extern __shared__ unsigned char smem_raw[];
    const Flash3Smem<Traits> smem(device::smem_address(smem_raw));

    if (threadIdx.x == 0) smem.init_barriers();
    __syncthreads();

    const int warpgroup = device::sm90::warp_uniform(threadIdx.x / 128);
    if (warpgroup == 0) {
        device::sm90::release_registers<Traits::k_producer_registers>();
        if (threadIdx.x < 32) flash3::produce(maps, smem, schedule);  // one warp
    } else {
        device::sm90::claim_registers<Traits::k_consumer_registers>();
        flash3::consume<T>(args, maps, smem, schedule, warpgroup - 1);
    }
}

// The persistent grid: one CTA per SM, or fewer when FLASHSCOPE_FLASH3_GRID caps it (tests and
// compute-sanitizer set it so that every CTA works through several tiles).
inline int flash3_grid_limit() {
    int device = 0, count = 0;
    FLASHSCOPE_CUDA_CHECK(cudaGetDevice(&device));
    FLASHSCOPE_CUDA_CHECK(cudaDeviceGetAttribute(&count, cudaDevAttrMultiProcessorCount, device));
    if (const char* cap = std::getenv("FLASHSCOPE_FLASH3_GRID");
        cap != nullptr && std::atoi(cap) > 0)
        count = std::min(count, std::atoi(cap));
    return count;
}

template <typename T, int kHeadDim, int kBlockM, int kBlockN, int kWarps, int kStages>
void launch_flash3_fwd(const AttentionArgs& args, bool /*deterministic*/, cudaStream_t stream) {
    using Traits = Flash3FwdTraits<kHeadDim, kBlockM, kBlockN, kWarps, kStages>;
    check_flash3_shape(args);
    Flash3Maps maps;
    maps.q =
        make_tile_map(args.q, args.dtype, args.batch, args.heads, args.seq_q, kHeadDim, kBlockM);
    maps.k =
        make_tile_map(args.k, args.dtype, args.batch, args.kv_heads, args.seq_k, kHeadDim, kBlockN);
    maps.v =
        make_tile_map(args.v, args.dtype, args.batch, args.kv_heads, args.seq_k, kHeadDim, kBlockN);
    maps.o = make_tile_map(args.o, args.dtype, args.batch, args.heads, args.seq_q, kHeadDim, 64);
    flash3::TileSchedule schedule{};
    schedule.m_blocks = static_cast<int>((args.seq_q + kBlockM - 1) / kBlockM);
    schedule.heads = static_cast<int>(args.heads);
    schedule.group = static_cast<int>(args.group());
    schedule.seq_k = static_cast<int>(args.seq_k);
    schedule.causal_keys = static_cast<int>(args.seq_k - args.seq_q);
    const std::int64_t tiles = std::int64_t{schedule.m_blocks} * args.heads * args.batch;
    if (tiles >= (std::int64_t{1} << 31) - 4096)
        throw ConfigError("flash3 work tiles", std::to_string(tiles), "must stay below 2^31");
    schedule.tiles = static_cast<int>(tiles);
    schedule.causal = args.causal;
    static unsigned(*const counters)[2] = [] {
        void* address = nullptr;
        FLASHSCOPE_CUDA_CHECK(cudaGetSymbolAddress(&address, flash3::g_tile_counters));
        return static_cast<unsigned(*)[2]>(address);
    }();
    schedule.counters = counters[flash3::g_next_slot++ % flash3::k_scheduler_slots];
    static const int grid_limit = flash3_grid_limit();
    const unsigned grid = static_cast<unsigned>(std::min<std::int64_t>(tiles, grid_limit));
    if (grid == 0) return;
    flash3_fwd_kernel<T, kHeadDim, kBlockM, kBlockN, kWarps, kStages>
        <<<grid, Traits::k_threads, Traits::k_smem_bytes, stream>>>(args, maps, schedule);
    FLASHSCOPE_CHECK_LAUNCH();
}

// Once per instantiation, when a launch is built (not on every launch).
template <typename T, int kHeadDim, int kBlockM, int kBlockN, int kWarps, int kStages>
void prepare_flash3_fwd() {
    using Traits = Flash3FwdTraits<kHeadDim, kBlockM, kBlockN, kWarps, kStages>;
    check_flash3_device();
    prepare_kernel(reinterpret_cast<const void*>(
                       flash3_fwd_kernel<T, kHeadDim, kBlockM, kBlockN, kWarps, kStages>),
                   Traits::k_smem_bytes);
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
