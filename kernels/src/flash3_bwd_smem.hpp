#pragma once
// flash3 backward: the tile traits (sizes known on the host and the device) and the shared-memory
// map of one CTA. Tiles of the dtype are stored as 64-column panels with the 128-byte swizzle
// (device/sm90/wgmma.cuh), each 1024-byte aligned:
//
//   K, V       (block_n, head_dim)            loaded once; consumer c owns key rows 64c .. 64c + 63
//   Q[s], dO[s] (block_m, head_dim), s < stages   the ring the producer fills
//   dS[b]      (block_m, block_n), b < 2      queries x keys, panel c = consumer c's 64 keys
//                                             (written transposed from its dS^T), read by all
//                                             consumers for dQ^T = K^T dS^T. At head_dim 256
//                                             (64 x 64) it holds dS^T (keys x queries) instead.
//   P^T[b]     (block_n, block_m), b < 2      head_dim 256 only: P^T, exchanged like dS^T
//   dQ[c]      (dq_queries, 64) fp32          consumer c's dQ tile on its way to the accumulator
//                                             (two 32-column panels, 128-byte swizzle; not at
//                                             head_dim 256, whose dQ goes by atomics)
//   LSE[s], D[s] (block_m) fp32               LSE * log2(e) (+inf past seq_q) and rowsum(dO o O)
//   barriers kv_full, q_full[s], q_empty[s] (8 bytes each)
#include <cstdint>

#include "flashscope/kernels/attention_args.hpp"

namespace flashscope::kernels::detail {

template <int kHeadDim, int kBlockM, int kBlockN, int kWarps, int kStages>
struct Flash3BwdTraits {
    static constexpr int k_head_dim = kHeadDim;
    static constexpr int k_block_m = kBlockM;
    static constexpr int k_block_n = kBlockN;
    static constexpr int k_stages = kStages;
    static constexpr int k_threads = kWarps * 32;
    // head_dim 256: dK and dV of 64 keys x 256 would take 256 accumulator registers per thread,
    // so two consumers share 64 keys and split head_dim instead (flash3_bwd_split.cuh).
    static constexpr bool k_split_head_dim = kHeadDim == 256;
    // Warpgroups of 64 key rows each; at head_dim 256, two of 128 head_dim columns each.
    static constexpr int k_consumers = k_split_head_dim ? 2 : kBlockN / 64;
    static_assert(kBlockN % 64 == 0 && (k_consumers == 2 || k_consumers == 3) &&
                      kWarps == 4 * (k_consumers + 1),
                  "one producer warpgroup and two or three consumer warpgroups of 64 key rows");
    static_assert(kHeadDim == 64 || kHeadDim == 128 || kHeadDim == 256,
                  "dK and dV of 64 keys x head_dim per consumer live in registers: head_dim 64 or "
                  "128 (at 256 the consumers split head_dim)");
    static_assert(!k_split_head_dim || (kBlockM == 64 && kBlockN == 64),
                  "head_dim 256: 64 queries x 64 keys (K, V and two Q/dO stages fill 192 KB)");
    static_assert(kBlockM == 64 || kBlockM == 128 || kBlockM == 192,
                  "wgmma N for S^T = K Q^T is block_m (64, 128 or 192)");
    // dQ (block_m, head_dim) is computed transposed, dQ^T = K^T dS^T, one tile per consumer: 64
    // head_dim columns of dq_queries queries (at head_dim 256 a (64, 128) tile of dQ = dS K each
    // instead).
    static constexpr int k_dq_col_tiles = kHeadDim / 64;
    static constexpr int k_dq_query_tiles = k_split_head_dim ? 1 : k_consumers / k_dq_col_tiles;
    static constexpr int k_dq_queries = kBlockM / k_dq_query_tiles;
    static_assert(k_split_head_dim ||
                      (k_dq_query_tiles * k_dq_col_tiles == k_consumers &&
                       k_dq_queries * k_dq_query_tiles == kBlockM && k_dq_queries == 64),
                  "dQ's (64, 64) tiles must match the consumers: block_m * head_dim = 4096 * "
                  "consumers");
    static_assert(kStages >= 2, "the Q/dO ring needs at least two stages");
    static constexpr int k_panels = kHeadDim / 64;
    static constexpr std::uint32_t k_q_panel_bytes = kBlockM * 128;
    static constexpr std::uint32_t k_kv_panel_bytes = kBlockN * 128;
    static constexpr std::uint32_t k_q_bytes = k_q_panel_bytes * k_panels;    // Q or dO, one stage
    static constexpr std::uint32_t k_kv_bytes = k_kv_panel_bytes * k_panels;  // K or V
    static constexpr std::uint32_t k_ds_panel_bytes = kBlockM * 128;          // 64 keys
    static constexpr std::uint32_t k_ds_bytes = k_ds_panel_bytes * (kBlockN / 64);
    static_assert(!k_split_head_dim || kBlockM == kBlockN, "dS^T and dS panels coincide");
    static constexpr std::uint32_t k_k_offset = 0;
    static constexpr std::uint32_t k_v_offset = k_kv_bytes;
    static constexpr std::uint32_t k_q_offset = 2 * k_kv_bytes;
    static constexpr std::uint32_t k_do_offset = k_q_offset + kStages * k_q_bytes;
    static constexpr std::uint32_t k_ds_offset = k_do_offset + kStages * k_q_bytes;
    static constexpr std::uint32_t k_pt_offset = k_ds_offset + 2 * k_ds_bytes;
    static constexpr std::uint32_t k_pt_bytes = k_split_head_dim ? k_ds_bytes : 0;
    static constexpr std::uint32_t k_dq_panel_bytes = k_dq_queries * 128;  // rows of 32 fp32
    static constexpr std::uint32_t k_dq_offset = k_pt_offset + 2 * k_pt_bytes;
    static constexpr std::uint32_t k_dq_bytes =
        k_split_head_dim ? 0 : k_consumers * 2 * k_dq_panel_bytes;
    static constexpr std::uint32_t k_lse_offset = k_dq_offset + k_dq_bytes;
    static constexpr std::uint32_t k_dsum_offset = k_lse_offset + kStages * kBlockM * 4;
    static constexpr std::uint32_t k_barrier_offset = k_dsum_offset + kStages * kBlockM * 4;
    static constexpr int k_barriers = 1 + 2 * kStages;
    // + 1024: the dynamic shared memory is only 16-byte aligned; the kernel rounds its base up.
    static constexpr int k_smem_bytes = static_cast<int>(k_barrier_offset + 8 * k_barriers + 1024);
    // Register split as in the forward (Flash3FwdTraits): the producer keeps 24.
    static constexpr int k_producer_registers = 24;
    static constexpr int k_entry_registers = (65536 / k_threads) / 8 * 8;
    static constexpr int k_consumer_registers_raw =
        (k_entry_registers * k_threads - k_producer_registers * 128) / (128 * k_consumers);
    static constexpr int k_consumer_registers =
        (k_consumer_registers_raw > 240 ? 240 : k_consumer_registers_raw) / 8 * 8;
    static constexpr int k_semaphore_rows = 16;  // dq_semaphore holds one counter per 16 rows
};

#if defined(__CUDACC__)
}  // namespace flashscope::kernels::detail
#include "device/sm90/mbarrier.cuh"
namespace flashscope::kernels::detail {

template <typename Traits>
class Flash3BwdSmem {
public:
    __device__ explicit Flash3BwdSmem(std::uint32_t raw) : m_base((raw + 1023u) & ~1023u) {}

    __device__ std::uint32_t k_panel(int panel) const {
        return m_base + Traits::k_k_offset + panel * Traits::k_kv_panel_bytes;
    }
    __device__ std::uint32_t v_panel(int panel) const {
        return m_base + Traits::k_v_offset + panel * Traits::k_kv_panel_bytes;
    }
    __device__ std::uint32_t q_panel(int stage, int panel) const {
        return m_base + Traits::k_q_offset + stage * Traits::k_q_bytes +
               panel * Traits::k_q_panel_bytes;
    }
    __device__ std::uint32_t do_panel(int stage, int panel) const {
        return m_base + Traits::k_do_offset + stage * Traits::k_q_bytes +
               panel * Traits::k_q_panel_bytes;
    }
    // dS buffer b, the panel of keys 64p .. 64p + 63 (head_dim 256: dS^T, one panel).
    __device__ std::uint32_t ds_panel(int buffer, int panel) const {
        return m_base + Traits::k_ds_offset + buffer * Traits::k_ds_bytes +
               panel * Traits::k_ds_panel_bytes;
    }
    // P^T buffer b (head_dim 256 only), laid out as dS^T.
    __device__ std::uint32_t pt_panel(int buffer) const {
        return m_base + Traits::k_pt_offset + buffer * Traits::k_pt_bytes;
    }
    __device__ std::uint32_t dq_panel(int consumer, int panel) const {
        return m_base + Traits::k_dq_offset + (2 * consumer + panel) * Traits::k_dq_panel_bytes;
    }
    __device__ std::uint32_t lse(int stage) const {
        return m_base + Traits::k_lse_offset + stage * Traits::k_block_m * 4;
    }
    __device__ std::uint32_t dsum(int stage) const {
        return m_base + Traits::k_dsum_offset + stage * Traits::k_block_m * 4;
    }
    __device__ std::uint32_t kv_full() const { return barrier(0); }
    __device__ std::uint32_t q_full(int stage) const { return barrier(1 + stage); }
    __device__ std::uint32_t q_empty(int stage) const {
        return barrier(1 + Traits::k_stages + stage);
    }

    // By one thread, before a CTA barrier. kv_full completes on the producer's one arrival plus
    // the bytes; q_full on the 32 arrivals of the producer warp (whose lanes also stored LSE and D)
    // plus the bytes; q_empty on one arrival per consumer warp.
    __device__ void init_barriers() const {
        device::sm90::mbarrier_init(kv_full(), 1);
        for (int s = 0; s < Traits::k_stages; ++s) {
            device::sm90::mbarrier_init(q_full(s), 32);
            device::sm90::mbarrier_init(q_empty(s), 4 * Traits::k_consumers);
        }
        device::sm90::fence_barrier_init();
    }

private:
    __device__ std::uint32_t barrier(int index) const {
        return m_base + Traits::k_barrier_offset + 8 * index;
    }
    std::uint32_t m_base;
};
#endif

}  // namespace flashscope::kernels::detail
