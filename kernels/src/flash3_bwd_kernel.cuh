#pragma once
// FlashAttention-3 backward for Hopper (sm_90a), main kernel. One CTA per (K/V block of 64 * C
// keys, head, batch), C + 1 warpgroups with fixed roles (C = 2):
//   producer (warpgroup 0, registers given up to 24): one thread asks the copy engine (TMA) for K
//     and V once and for the Q and dO blocks of every Q block that sees the keys into a ring of
//     kStages stages; its warp's lanes copy that block's LSE and D beside them. Each stage is
//     guarded by a "full" and an "empty" mbarrier.
//   consumers (warpgroups 1 .. C, 240 registers each): 64 key rows each, their dK and dV (64,
//     head_dim) in fp32 registers for the whole kernel. Per Q block:
//       S^T = K_c Q^T, dP^T = V_c dO^T          (wgmma, both operands in shared memory)
//       P^T = exp2(S^T scale log2e - LSE log2e) (registers; masked entries 0)
//       dS^T = P^T o (dP^T - D)                 (registers, and transposed into shared memory)
//       dV += P^T dO, dK += dS^T Q              (wgmma, P^T and dS^T from registers)
//       dQ_tile^T = K^T dS^T                    (wgmma, both from shared memory, all keys; one
//                                                tile of 64 head_dim columns per consumer)
//     and add their dQ tile to the fp32 accumulator through shared memory and the copy engine's
//     reduce-add, or, when deterministic, with atomics in K/V block order per Q block. The
//     dQ product of block i is issued with S^T of block i + 1, so the dS exchange between the
//     consumers leaves the tensor cores no gap.
// At head_dim 256 the two consumers share 64 keys and split head_dim (flash3_bwd_split.cuh).
// D = rowsum(dO o O) and the zeroed accumulator come from flash2's preprocess kernel, dQ in the
// dtype from its convert kernel, GQA's dK/dV group sums from its reduce kernel.
#include <cuda.h>

#include <cmath>
#include <cstdint>
#include <type_traits>

#include "device/mma.cuh"
#include "device/sm90/mbarrier.cuh"
#include "device/sm90/tma.cuh"
#include "device/sm90/warpgroup.cuh"
#include "device/sm90/wgmma.cuh"
#include "device/softmax.cuh"
#include "flash3_bwd_smem.hpp"
#include "flash3_fwd_smem.hpp"
#include "flashscope/core/error.hpp"
#include "flashscope/kernels/attention_args.hpp"
#include "flashscope/kernels/cuda_error.hpp"
#include "kernel_common.hpp"
#include "tma_map.hpp"

namespace flashscope::kernels::detail {

struct Flash3BwdMaps {
    CUtensorMap q, k, v, d_o;  // boxes (64, block_m), (64, block_n), (64, block_n), (64, block_m)
    CUtensorMap dq_accum;      // fp32, boxes (32, dq_queries)
};

namespace flash3_bwd {

namespace sm90 = device::sm90;

// Named barriers. 1 + 2c + parity: consumer c arrives once its keys of dS of a Q block of that
// parity is in shared memory, the other consumer waits there before that block's dQ (a one-way
// hand-over: neither waits for the other to reach the same point, so they drift apart and one's
// exponentials run under the other's products; two parities, so that an arrival for block i + 1
// never meets a wait for block i). 5: both consumers around the deterministic hand-over of a Q
// block's dQ. 6 + c: consumer c's 128 threads around its dQ staging.
inline constexpr int k_ds_written_barrier = 1;
inline constexpr int k_dq_turn_barrier = 5;
inline constexpr int k_dq_stage_barrier = 6;

// Which Q blocks a K/V block meets: those with a row that sees one of its keys (bottom-right
// causal: row i sees key j when j <= i + seq_k - seq_q).
struct QBlockRange {
    int begin, end;
};

__device__ __forceinline__ QBlockRange q_blocks_of(const AttentionArgs& args, std::int64_t n_start,
                                                   int block_m) {
    QBlockRange r{0, static_cast<int>((args.seq_q + block_m - 1) / block_m)};
    if (args.causal) {
        const std::int64_t first_row = n_start - (args.seq_k - args.seq_q);
        if (first_row > 0) r.begin = static_cast<int>(first_row / block_m);
        if (r.begin > r.end) r.begin = r.end;
    }
    return r;
}

// Producer warp: K, V once; then per Q block, Q and dO by TMA and LSE * log2(e), D by the lanes.
template <typename Traits>
__device__ __forceinline__ void produce(const AttentionArgs& args, const Flash3BwdMaps& maps,
                                        const Flash3BwdSmem<Traits>& smem, QBlockRange blocks,
                                        int n_start, int head, int kv_head, int batch) {
    constexpr int kM = Traits::k_block_m;
    const int lane = threadIdx.x % 32;
    if (lane == 0) {
        sm90::prefetch_tensor_map(&maps.q);
        sm90::prefetch_tensor_map(&maps.d_o);
        sm90::mbarrier_arrive_expect_tx(smem.kv_full(), 2 * Traits::k_kv_bytes);
#pragma unroll
        for (int p = 0; p < Traits::k_panels; ++p) {
            sm90::tma_load_4d(smem.k_panel(p), &maps.k, smem.kv_full(), 64 * p, n_start, kv_head,
                              batch);
            sm90::tma_load_4d(smem.v_panel(p), &maps.v, smem.kv_full(), 64 * p, n_start, kv_head,
                              batch);
        }
    }
    const std::int64_t bh = std::int64_t{batch} * args.heads + head;
    const float* lse = args.lse + bh * args.seq_q;
    const float* dsum = args.d_sum + bh * args.seq_q;
    for (int m_block = blocks.begin; m_block < blocks.end; ++m_block) {
        const int i = m_block - blocks.begin;
        const int stage = i % Traits::k_stages;
        sm90::mbarrier_wait(smem.q_empty(stage), ((i / Traits::k_stages) & 1) ^ 1);
        const int m0 = m_block * kM;
#pragma unroll
        for (int r = lane; r < kM; r += 32) {
            const bool valid = std::int64_t{m0} + r < args.seq_q;
            // Rows past seq_q: P = exp2(-inf) = 0, so they add nothing (their Q and dO are zeros).
            const float l = valid ? lse[m0 + r] * device::k_log2e : INFINITY;
            const float d = valid ? dsum[m0 + r] : 0.f;
            asm volatile("st.shared.f32 [%0], %1;\n" ::"r"(smem.lse(stage) + 4 * r), "f"(l)
                         : "memory");
            asm volatile("st.shared.f32 [%0], %1;\n" ::"r"(smem.dsum(stage) + 4 * r), "f"(d)
                         : "memory");
        }
        if (lane == 0) {
            sm90::mbarrier_arrive_expect_tx(smem.q_full(stage), 2 * Traits::k_q_bytes);
#pragma unroll
            for (int p = 0; p < Traits::k_panels; ++p) {
                sm90::tma_load_4d(smem.q_panel(stage, p), &maps.q, smem.q_full(stage), 64 * p, m0,
                                  head, batch);
                sm90::tma_load_4d(smem.do_panel(stage, p), &maps.d_o, smem.q_full(stage), 64 * p,
                                  m0, head, batch);
            }
        } else {
            sm90::mbarrier_arrive(smem.q_full(stage));
        }
    }
}

// Adds one consumer's dQ^T tile (64 head_dim columns x kN queries, wgmma accumulator layout) to
// the fp32 accumulator: element (column r, query q) to row row0 + q, column col0 + r.
template <int kN>
__device__ __forceinline__ void add_dq_tile(const float (&dq)[kN / 2], float* dq_accum,
                                            std::int64_t head_dim, int row0, int col0, int seq_q,
                                            int lane, int warp) {
#pragma unroll
    for (int c = 0; c < kN / 8; ++c)
#pragma unroll
        for (int e = 0; e < 2; ++e) {
            const int row = row0 + 8 * c + 2 * (lane % 4) + e;
            if (row >= seq_q) continue;
            float* dst = dq_accum + std::int64_t{row} * head_dim + col0 + warp * 16 + lane / 4;
#pragma unroll
            for (int h = 0; h < 2; ++h) atomicAdd(dst + 8 * h, dq[4 * c + 2 * h + e]);
        }
}

// Writes one consumer's dQ^T tile (64 head_dim columns x kN queries, wgmma accumulator layout)
// transposed into its two 32-column fp32 panels of kN rows, 128-byte swizzled as the accumulator
// map reads them: column r, query q go to panel r / 32, row q, 16-byte chunk
// ((r % 32) / 4) ^ (q % 8), word r % 4 (a warp's 32 stores hit 32 banks).
template <int kN>
__device__ __forceinline__ void stage_dq_tile(const float (&dq)[kN / 2], std::uint32_t panel0,
                                              std::uint32_t panel_bytes, int lane, int warp) {
#pragma unroll
    for (int c = 0; c < kN / 8; ++c)
#pragma unroll
        for (int h = 0; h < 2; ++h)
#pragma unroll
            for (int e = 0; e < 2; ++e) {
                const int r = warp * 16 + lane / 4 + 8 * h;
                const int q = 8 * c + 2 * (lane % 4) + e;
                const std::uint32_t address = panel0 + (r / 32) * panel_bytes + q * 128 +
                                              ((((r % 32) / 4) ^ (q % 8)) * 16) + (r % 4) * 4;
                asm volatile("st.shared.f32 [%0], %1;\n" ::"r"(address), "f"(dq[4 * c + 2 * h + e])
                             : "memory");
            }
}

// What a consumer needs to know about its keys and the problem (32-bit: the launcher checked that
// sequences stay below 2^31 - 256).
struct ConsumerKeys {
    int first_key;  // the consumer's first key (its 64 keys are its rows of K and V)
    int seq_q, seq_k, causal_offset;
    bool causal;

    // Whether Q block m0 has an entry this consumer must hide: a query row past seq_q, a key
    // past seq_k, or a key right of some row's causal diagonal.
    __device__ bool needs_mask(int m0, int block_m) const {
        return m0 + block_m > seq_q || first_key + 64 > seq_k ||
               (causal && std::int64_t{first_key} + 63 > std::int64_t{m0} + causal_offset);
    }
    // The visible columns of S^T (queries m0 + q) for this thread's two key rows (h = 0, 1: its
    // first key and 8 below), as bounds on q - 2 * (lane % 4) so that the test of an element is two
    // compares against compile-time column offsets: visible when lo[h] <= q' < hi.
    struct Visible {
        int lo[2], hi;
    };
    __device__ Visible visible(int m0, int block_m, int thread_key, int lane) const {
        constexpr int k_all = 1 << 30;
        Visible v;
        const int quad = 2 * (lane % 4);
        const std::int64_t rows_left = std::int64_t{seq_q} - m0;
        v.hi = static_cast<int>(rows_left < block_m ? rows_left : block_m) - quad;
#pragma unroll
        for (int h = 0; h < 2; ++h) {
            const int key = thread_key + 8 * h;
            // Row m0 + q sees the key when key <= m0 + q + causal_offset.
            std::int64_t first = causal ? std::int64_t{key} - causal_offset - m0 : 0;
            if (first < 0) first = 0;
            if (first > block_m) first = block_m;
            v.lo[h] = key >= seq_k ? k_all : static_cast<int>(first) - quad;
        }
        return v;
    }
};

template <typename T, typename Traits>
__device__ __forceinline__ void consume(const AttentionArgs& args, const Flash3BwdMaps& maps,
                                        const Flash3BwdSmem<Traits>& smem, int consumer,
                                        QBlockRange blocks, const ConsumerKeys& keys, int n_block,
                                        int head, int kv_head, int batch, bool deterministic) {
    constexpr int kD = Traits::k_head_dim;
    constexpr int kM = Traits::k_block_m;
    constexpr int kStages = Traits::k_stages;
    constexpr int kConsumerThreads = 128 * Traits::k_consumers;
    using SMma = sm90::Wgmma<kM, T>;   // S^T, dP^T: (64 keys, block_m)
    using KvMma = sm90::Wgmma<kD, T>;  // dK, dV: (64 keys, head_dim)
    constexpr int kDqN = Traits::k_dq_queries;
    using QMma = sm90::Wgmma<kDqN, T>;  // dQ^T: (64 head_dim columns, kDqN queries)
    const int thread = threadIdx.x % sm90::k_warpgroup_threads;
    const int lane = thread % 32;
    const int warp = thread / 32;
    const std::int64_t bh = std::int64_t{batch} * args.heads + head;

    float dk[kD / 2], dv[kD / 2];  // (64 keys, head_dim), for the whole kernel
#pragma unroll
    for (int i = 0; i < kD / 2; ++i) dk[i] = dv[i] = 0.f;

    // This consumer's tile of dQ: queries dq_row0 .. dq_row0 + kDqN - 1 of the block, head_dim
    // columns 64 * dq_col ..
    const int dq_row0 = consumer / Traits::k_dq_col_tiles * kDqN;
    const int dq_col = consumer % Traits::k_dq_col_tiles;
    float* dq_accum = args.dq_accum + bh * args.seq_q * kD;
    int* semaphores = args.dq_semaphore +
                      bh * ((args.seq_q + Traits::k_semaphore_rows - 1) / Traits::k_semaphore_rows);
    const float scale_log2 = args.scale * device::k_log2e;
    const std::uint32_t my_keys = consumer * 64 * 128;  // byte offset of my 64 rows of K and V

    // S^T = K_c Q^T and dP^T = V_c dO^T of Q block i: (64 keys, block_m), reduced over head_dim;
    // one commit group each.
    float s[kM / 2], dp[kM / 2];
    auto issue_product = [&](float(&out)[kM / 2], std::uint32_t rows, std::uint32_t stage_panel0) {
        sm90::discard(out);
        sm90::fence();
#pragma unroll
        for (int k = 0; k < kD / 16; ++k) {
            const std::uint32_t step = (k / 4) * Traits::k_kv_panel_bytes + (k % 4) * 32;
            SMma::template ss<0>(
                out, sm90::k_major_descriptor(rows + step),
                sm90::k_major_descriptor(stage_panel0 + (k / 4) * Traits::k_q_panel_bytes +
                                         (k % 4) * 32),
                k > 0);
        }
        sm90::commit();
    };

    // dQ^T tile of block i = K^T dS^T over all block_n keys (A = K^T, read M-major from K's
    // panel; B = dS^T, read K-major from dS buffer i % 2), once the other consumer's keys of dS
    // are in shared memory too. Buffer i % 2 is written again for block i + 2 only after the
    // writer has waited for the other's keys of block i + 1, which that one writes after its dQ
    // of block i (the buffer's last read) has completed.
    float dq[kDqN / 2];
    auto issue_dq = [&](int i) {
        sm90::named_barrier_sync(k_ds_written_barrier + 2 * (1 - consumer) + i % 2,
                                 kConsumerThreads);
        sm90::discard(dq);
        sm90::fence();
#pragma unroll
        for (int k = 0; k < Traits::k_block_n / 16; ++k)
            QMma::template ss<0, 1>(dq,
                                    sm90::n_major_descriptor(smem.k_panel(dq_col) + k * 16 * 128,
                                                             Traits::k_kv_panel_bytes),
                                    sm90::k_major_descriptor(smem.ds_panel(i % 2, k / 4) +
                                                             dq_row0 * 128 + (k % 4) * 32),
                                    k > 0);
        sm90::commit();
    };
    // dQ += the tile of block i. Fast mode: through shared memory and the copy engine's reduce-add
    // (element-wise fp32 adds at L2, rows past seq_q skipped), which drains while the next block
    // is computed. Deterministic: the K/V blocks of this head add to a Q block in order, handed on
    // by its counter (zeroed by the preprocess kernel), with atomics from registers, as flash2.
    auto add_dq = [&](int i) {
        const int m0 = (blocks.begin + i) * kM;
        if (!deterministic) {
            const int barrier = k_dq_stage_barrier + consumer;
            if (thread == 0) sm90::tma_store_wait_read();  // the last tile has left the buffer
            sm90::named_barrier_sync(barrier, sm90::k_warpgroup_threads);
            stage_dq_tile<kDqN>(dq, smem.dq_panel(consumer, 0), Traits::k_dq_panel_bytes, lane,
                                warp);
            sm90::fence_proxy_async_shared();
            sm90::named_barrier_sync(barrier, sm90::k_warpgroup_threads);
            if (thread == 0) {
#pragma unroll
                for (int panel = 0; panel < 2; ++panel)
                    sm90::tma_reduce_add_4d(&maps.dq_accum, smem.dq_panel(consumer, panel),
                                            64 * dq_col + 32 * panel, m0 + dq_row0, head, batch);
                sm90::tma_store_commit();
            }
        } else {
            int* semaphore = semaphores + m0 / Traits::k_semaphore_rows;
            if (consumer == 0 && thread == 0)
                while (atomicAdd(semaphore, 0) != n_block) {
                }
            sm90::named_barrier_sync(k_dq_turn_barrier, kConsumerThreads);
            add_dq_tile<kDqN>(dq, dq_accum, kD, m0 + dq_row0, 64 * dq_col, keys.seq_q, lane, warp);
            __threadfence();
            sm90::named_barrier_sync(k_dq_turn_barrier, kConsumerThreads);
            if (consumer == 0 && thread == 0) atomicAdd(semaphore, 1);
        }
    };

    // Per Q block i the tensor cores get, in this order: dQ of block i - 1 and S^T_i (so the dS^T
    // exchange of block i - 1 costs no idle time), dP^T_i once dQ is staged (so the dQ and dP^T
    // tiles are never live together), then dV_i, then dK_i.
    // A consumer waits for the other only before a dQ, until that one's keys of dS are written.
    sm90::mbarrier_wait(smem.kv_full(), 0);
    const int n_iterations = blocks.end - blocks.begin;
    // The first block has no dQ of a block before it: a copy of the body without it, so that
    // no wgmma wait depends on a run-time test (ptxas then serialises every wgmma, C7514).
    auto block = [&](int i, auto first) {
        const int m0 = (blocks.begin + i) * kM;
        const int stage = i % kStages;
        sm90::mbarrier_wait(smem.q_full(stage), (i / kStages) & 1);
        if constexpr (!decltype(first)::value) issue_dq(i - 1);
        issue_product(s, sm90::unhoisted(smem.k_panel(0)) + my_keys, smem.q_panel(stage, 0));
        if constexpr (!decltype(first)::value) {
            sm90::wait<1>();  // dQ_{i-1} is ready; S^T_i may still run
            sm90::fence_operands(dq);
            add_dq(i - 1);
        }
        issue_product(dp, sm90::unhoisted(smem.v_panel(0)) + my_keys, smem.do_panel(stage, 0));
        sm90::wait<1>();  // S^T_i is ready; dP^T_i may still run
        sm90::fence_operands(s);

        // P^T = exp2(S^T scale log2e - LSE log2e) while dP^T is still computed. The exponent is
        // <= 0 in exact arithmetic; clamping its rounding keeps P <= 1 for huge scales (as flash2).
        std::uint32_t p[kM / 16][4];  // P^T as A fragments in the dtype
        // Two copies, masked and not, so that unmasked blocks pay for no compares.
        auto exponentiate = [&](auto masked) {
            ConsumerKeys::Visible visible{};
            if constexpr (decltype(masked)::value)
                visible = keys.visible(m0, kM, keys.first_key + warp * 16 + lane / 4, lane);
#pragma unroll
            for (int c = 0; c < kM / 8; ++c) {
                const int col = 8 * c + 2 * (lane % 4);
                float lse2[2];
                asm volatile("ld.shared.v2.f32 {%0, %1}, [%2];\n"
                             : "=f"(lse2[0]), "=f"(lse2[1])
                             : "r"(smem.lse(stage) + 4 * col));
                float value[4];
#pragma unroll
                for (int e = 0; e < 4; ++e) {
                    const float exponent = fmaf(s[4 * c + e], scale_log2, -lse2[e % 2]);
                    value[e] = device::fast_exp2(exponent > 0.f ? 0.f : exponent);
                    if constexpr (decltype(masked)::value) {
                        const int q = 8 * c + e % 2;  // the column, less 2 * (lane % 4)
                        if (q < visible.lo[e / 2] || q >= visible.hi) value[e] = 0.f;
                    }
                }
                p[c / 2][2 * (c % 2)] = device::pack2<T>(value[0], value[1]);
                p[c / 2][2 * (c % 2) + 1] = device::pack2<T>(value[2], value[3]);
            }
        };
        if (keys.needs_mask(m0, kM))
            exponentiate(std::true_type{});
        else
            exponentiate(std::false_type{});
        sm90::discard(s);  // dead until the next block's S^T (also on the path that issues none)

        // dV += P^T dO: (64 keys, head_dim), reduced over the block's queries.
        sm90::fence();
#pragma unroll
        for (int k = 0; k < kM / 16; ++k)
            KvMma::template rs<1>(dv, p[k],
                                  sm90::n_major_descriptor(smem.do_panel(stage, 0) + k * 16 * 128,
                                                           Traits::k_q_panel_bytes),
                                  1);
        sm90::commit();

        // dS^T = P^T o (dP^T - D), from P^T as rounded to the dtype (as flash2 does); into
        // registers for dK and, transposed, into this consumer's panel of dS for dQ.
        sm90::wait<1>();  // dP^T is ready; dV may still run
        sm90::fence_operands(dp);
        const int buffer = i % 2;
        std::uint32_t ds[kM / 16][4];
#pragma unroll
        for (int c = 0; c < kM / 8; ++c) {
            const int col = 8 * c + 2 * (lane % 4);
            float d2[2];
            asm volatile("ld.shared.v2.f32 {%0, %1}, [%2];\n"
                         : "=f"(d2[0]), "=f"(d2[1])
                         : "r"(smem.dsum(stage) + 4 * col));
#pragma unroll
            for (int h = 0; h < 2; ++h) {
                const std::uint32_t word = p[c / 2][2 * (c % 2) + h];
                const T* pair = reinterpret_cast<const T*>(&word);
                const float lo = device::to_float(pair[0]) * (dp[4 * c + 2 * h] - d2[0]);
                const float hi = device::to_float(pair[1]) * (dp[4 * c + 2 * h + 1] - d2[1]);
                ds[c / 2][2 * (c % 2) + h] = device::pack2<T>(lo, hi);
            }
        }
        // ds[k] holds the 8x8 tiles (queries 16k + 8 (j / 2) .., keys warp * 16 + 8 (j % 2) ..),
        // j < 4; lane 8j + i addresses dS row (query) 16k + 8 (j / 2) + i, whose 16-byte chunk of
        // those keys is swizzled by the row % 8 = i.
        {
            const int j = lane / 8, row = 8 * (j / 2) + lane % 8;
            const std::uint32_t address = smem.ds_panel(buffer, consumer) + row * 128 +
                                          (((2 * warp + j % 2) ^ (lane % 8)) * 16);
#pragma unroll
            for (int k = 0; k < kM / 16; ++k)
                sm90::stmatrix_x4_trans(address + k * 16 * 128, ds[k]);
        }

        sm90::discard(dp);
        sm90::fence_proxy_async_shared();  // dS^T is read by the copy engine's proxy (wgmma)
        sm90::named_barrier_arrive(k_ds_written_barrier + 2 * consumer + i % 2, kConsumerThreads);

        // dK += dS^T Q
        sm90::fence();
#pragma unroll
        for (int k = 0; k < kM / 16; ++k)
            KvMma::template rs<1>(dk, ds[k],
                                  sm90::n_major_descriptor(smem.q_panel(stage, 0) + k * 16 * 128,
                                                           Traits::k_q_panel_bytes),
                                  1);
        sm90::commit();
        sm90::wait<0>();
        sm90::fence_operands(dk);
        sm90::fence_operands(dv);
        sm90::fence_operands(p);
        sm90::fence_operands(ds);
        if (lane == 0) sm90::mbarrier_arrive(smem.q_empty(stage));  // Q, dO, LSE, D read
    };
    if (n_iterations > 0) block(0, std::true_type{});
    for (int i = 1; i < n_iterations; ++i) block(i, std::false_type{});
    if (n_iterations > 0) {
        issue_dq(n_iterations - 1);
        sm90::wait<0>();
        sm90::fence_operands(dq);
        add_dq(n_iterations - 1);
    }
    if (thread == 0) sm90::tma_store_wait_read();  // shared memory is read before the CTA ends

    // Epilogue: dK = scale * sum dS^T Q and dV, in the dtype with one query head per kv head, else
    // in fp32 per query head for the group reduction kernel.
    const bool own_kv_head = args.group() == 1;
#pragma unroll
    for (int h = 0; h < 2; ++h) {
        const int key = keys.first_key + warp * 16 + lane / 4 + 8 * h;
        if (key >= keys.seq_k) continue;
        if (own_kv_head) {
            T* dk_row = tensor_at<T>(args.dk, batch, kv_head) + key * args.dk.row_stride;
            T* dv_row = tensor_at<T>(args.dv, batch, kv_head) + key * args.dv.row_stride;
#pragma unroll
            for (int c = 0; c < kD / 8; ++c) {
                const int col = 8 * c + 2 * (lane % 4);
                *reinterpret_cast<std::uint32_t*>(dk_row + col) = device::pack2<T>(
                    dk[4 * c + 2 * h] * args.scale, dk[4 * c + 2 * h + 1] * args.scale);
                *reinterpret_cast<std::uint32_t*>(dv_row + col) =
                    device::pack2<T>(dv[4 * c + 2 * h], dv[4 * c + 2 * h + 1]);
            }
        } else {
            float* dk_row = args.dk_accum + (bh * args.seq_k + key) * kD;
            float* dv_row = args.dv_accum + (bh * args.seq_k + key) * kD;
#pragma unroll
            for (int c = 0; c < kD / 8; ++c) {
                const int col = 8 * c + 2 * (lane % 4);
                *reinterpret_cast<float2*>(dk_row + col) =
                    make_float2(dk[4 * c + 2 * h] * args.scale, dk[4 * c + 2 * h + 1] * args.scale);
                *reinterpret_cast<float2*>(dv_row + col) =
                    make_float2(dv[4 * c + 2 * h], dv[4 * c + 2 * h + 1]);
            }
        }
    }
}

}  // namespace flash3_bwd

}  // namespace flashscope::kernels::detail

// head_dim 256: the consumers split head_dim instead of the keys (its own loop, sharing the above).
#include "flash3_bwd_split.cuh"

namespace flashscope::kernels::detail {

template <typename T, int kHeadDim, int kBlockM, int kBlockN, int kWarps, int kStages>
__global__ void __launch_bounds__(kWarps * 32, 1)
    flash3_bwd_kernel(const AttentionArgs args, const __grid_constant__ Flash3BwdMaps maps,
                      bool deterministic) {
    using Traits = Flash3BwdTraits<kHeadDim, kBlockM, kBlockN, kWarps, kStages>;
    extern __shared__ unsigned char smem_raw[];
    const Flash3BwdSmem<Traits> smem(device::smem_address(smem_raw));

    const int n_block = blockIdx.x;
    const int head = blockIdx.y;
    const int batch = blockIdx.z;
    const int kv_head = static_cast<int>(head / args.group());
    const int n_start = n_block * kBlockN;
    const flash3_bwd::QBlockRange blocks = flash3_bwd::q_blocks_of(args, n_start, kBlockM);

    if (threadIdx.x == 0) smem.init_barriers();
    __syncthreads();

    const int warpgroup = device::sm90::warp_uniform(threadIdx.x / 128);
    if (warpgroup == 0) {
        device::sm90::release_registers<Traits::k_producer_registers>();
        if (threadIdx.x < 32)
            flash3_bwd::produce(args, maps, smem, blocks, n_start, head, kv_head, batch);
    } else {
        device::sm90::claim_registers<Traits::k_consumer_registers>();
        const int consumer = warpgroup - 1;
        flash3_bwd::ConsumerKeys keys;
        // 64 keys per consumer; at head_dim 256 both consumers share the CTA's 64.
        keys.first_key = n_start + (Traits::k_split_head_dim ? 0 : 64 * consumer);
        keys.seq_q = static_cast<int>(args.seq_q);
        keys.seq_k = static_cast<int>(args.seq_k);
        keys.causal_offset = static_cast<int>(args.seq_k - args.seq_q);
        keys.causal = args.causal;
        if constexpr (Traits::k_split_head_dim)
            flash3_bwd::consume_split<T>(args, smem, consumer, blocks, keys, n_block, head, kv_head,
                                         batch, deterministic);
        else
            flash3_bwd::consume<T>(args, maps, smem, consumer, blocks, keys, n_block, head, kv_head,
                                   batch, deterministic);
    }
}

template <typename T, int kHeadDim, int kBlockM, int kBlockN, int kWarps, int kStages>
void launch_flash3_bwd(const AttentionArgs& args, bool deterministic, cudaStream_t stream) {
    using Traits = Flash3BwdTraits<kHeadDim, kBlockM, kBlockN, kWarps, kStages>;
    check_flash3_shape(args);
    if (args.d_sum == nullptr || args.dq_accum == nullptr || args.dq_semaphore == nullptr)
        throw ConfigError("flash3 bwd", "no D / dQ accumulator",
                          "the launch plan attaches them (BackwardBuffers)");
    Flash3BwdMaps maps;
    maps.q =
        make_tile_map(args.q, args.dtype, args.batch, args.heads, args.seq_q, kHeadDim, kBlockM);
    maps.d_o =
        make_tile_map(args.d_o, args.dtype, args.batch, args.heads, args.seq_q, kHeadDim, kBlockM);
    maps.k =
        make_tile_map(args.k, args.dtype, args.batch, args.kv_heads, args.seq_k, kHeadDim, kBlockN);
    maps.v =
        make_tile_map(args.v, args.dtype, args.batch, args.kv_heads, args.seq_k, kHeadDim, kBlockN);
    maps.dq_accum = make_accumulator_map(args.dq_accum, args.batch, args.heads, args.seq_q,
                                         kHeadDim, Traits::k_dq_queries);
    const dim3 grid(static_cast<unsigned>((args.seq_k + kBlockN - 1) / kBlockN),
                    static_cast<unsigned>(args.heads), static_cast<unsigned>(args.batch));
    flash3_bwd_kernel<T, kHeadDim, kBlockM, kBlockN, kWarps, kStages>
        <<<grid, Traits::k_threads, Traits::k_smem_bytes, stream>>>(args, maps, deterministic);
    FLASHSCOPE_CHECK_LAUNCH();
}

// Once per instantiation, when a launch is built (not on every launch).
template <typename T, int kHeadDim, int kBlockM, int kBlockN, int kWarps, int kStages>
void prepare_flash3_bwd() {
    using Traits = Flash3BwdTraits<kHeadDim, kBlockM, kBlockN, kWarps, kStages>;
    check_flash3_device();
    prepare_kernel(reinterpret_cast<const void*>(
                       flash3_bwd_kernel<T, kHeadDim, kBlockM, kBlockN, kWarps, kStages>),
                   Traits::k_smem_bytes);
}

template <typename T, int kHeadDim, int kBlockM, int kBlockN, int kWarps, int kStages>
void add_flash3_bwd(KernelRegistry& registry, bool is_default = false) {
    using Traits = Flash3BwdTraits<kHeadDim, kBlockM, kBlockN, kWarps, kStages>;
    registry.add({make_key<T>(parse_algorithm("flash3"), Pass::bwd, kHeadDim, kBlockM, kBlockN,
                              kWarps, kStages),
                  &launch_flash3_bwd<T, kHeadDim, kBlockM, kBlockN, kWarps, kStages>,
                  &prepare_flash3_bwd<T, kHeadDim, kBlockM, kBlockN, kWarps, kStages>,
                  Traits::k_smem_bytes, is_default});
}

}  // namespace flashscope::kernels::detail
