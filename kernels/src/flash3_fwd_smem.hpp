#pragma once
// flash3 forward: the tile traits (sizes known on the host and the device) and the shared-memory
// map of one CTA. Every tile is stored as 64-column panels with the 128-byte swizzle
// (device/sm90/wgmma.cuh), each 1024-byte aligned:
//
//   Q        (block_m, head_dim)                 consumer c owns rows 64c .. 64c + 63
//   K[s]     (block_n, head_dim), s < stages     the ring the producer fills, across work tiles
//   V[s]     (block_n, head_dim)
//   O        (block_m, head_dim)                 the epilogue's staging tile, when it fits (d = 64
//                                                 and 128 with block_n 128); otherwise O reuses Q's
//                                                 rows and the next Q waits for O's store
//   barriers q_full, q_empty, k_full[s], k_empty[s], v_full[s], v_empty[s] (8 bytes each)
//   tile     the work tile the producer hands to the consumers with q_full (4 bytes)
#include <cstdint>

#include "flashscope/kernels/attention_args.hpp"

namespace flashscope::kernels::detail {

template <int kHeadDim, int kBlockM, int kBlockN, int kWarps, int kStages>
struct Flash3FwdTraits {
    static constexpr int k_head_dim = kHeadDim;
    static constexpr int k_block_n = kBlockN;
    static constexpr int k_stages = kStages;
    static constexpr int k_threads = kWarps * 32;
    static constexpr int k_consumers = kBlockM / 64;  // warpgroups of 64 query rows each
    static_assert(kBlockM % 64 == 0 && (k_consumers == 2 || k_consumers == 3) &&
                      kWarps == 4 * (k_consumers + 1),
                  "one producer warpgroup and two or three consumer warpgroups of 64 query rows");
    static_assert(kHeadDim == 64 || kHeadDim == 128 || kHeadDim == 256,
                  "wgmma N for O = PV is the head dim (64, 128 or 256 are generated)");
    static_assert(kBlockN == 64 || kBlockN == 128 || kBlockN == 176 || kBlockN == 192 ||
                      kBlockN == 256,
                  "wgmma N for S = QK^T is block_n (64, 128, 176, 192 or 256 are generated)");
    static_assert(kStages >= 2, "the K/V ring needs at least two stages");
    // Of every 8 column chunks of S (8 columns each), how many take their exponentials on the FMA
    // pipe (online_softmax.cuh, poly_exp2) in unmasked blocks: none. Measured on an H200 at d = 64
    // (192x128x16x2, docs/PERFORMANCE.md): 1 of 8 was 6-9 % slower than 0, 2 of 8 about 10 %; the
    // SFU is not what limits the softmax, issue slots are.
    static constexpr int k_poly_chunks = 0;
    static constexpr int k_panels = kHeadDim / 64;
    static constexpr std::uint32_t k_q_panel_bytes = kBlockM * 128;
    static constexpr std::uint32_t k_kv_panel_bytes = kBlockN * 128;
    static constexpr std::uint32_t k_q_bytes = k_q_panel_bytes * k_panels;
    static constexpr std::uint32_t k_kv_bytes = k_kv_panel_bytes * k_panels;
    static constexpr std::uint32_t k_k_offset = k_q_bytes;
    static constexpr std::uint32_t k_v_offset = k_k_offset + kStages * k_kv_bytes;
    static constexpr std::uint32_t k_after_v = k_v_offset + kStages * k_kv_bytes;
    static constexpr int k_barriers = 2 + 4 * kStages;
    static constexpr std::uint32_t k_tail_bytes = 8 * k_barriers + 8;  // barriers, tile slot
    // + 1024: the dynamic shared memory is only 16-byte aligned; the kernel rounds its base up.
    static constexpr std::uint32_t k_smem_limit = 227 * 1024;  // sm_90's opt-in maximum
    static constexpr bool k_separate_o =
        k_after_v + k_q_bytes + k_tail_bytes + 1024 <= k_smem_limit;
    static constexpr std::uint32_t k_o_offset = k_separate_o ? k_after_v : 0;
    static constexpr std::uint32_t k_barrier_offset = k_after_v + (k_separate_o ? k_q_bytes : 0);
    static constexpr int k_smem_bytes = static_cast<int>(k_barrier_offset + k_tail_bytes + 1024);
    // The producer gives registers to the consumers. __launch_bounds__(threads, 1) starts every
    // thread with 65536 / threads rounded down to 8 (168 for 384 threads, 128 for 512); the
    // consumers share what the producer frees: 24 * 128 + 240 * 256 = 168 * 384 and
    // 24 * 128 + 160 * 384 <= 128 * 512.
    static constexpr int k_producer_registers = 24;
    static constexpr int k_entry_registers = (65536 / k_threads) / 8 * 8;
    static constexpr int k_consumer_registers_raw =
        (k_entry_registers * k_threads - k_producer_registers * 128) / (128 * k_consumers);
    static constexpr int k_consumer_registers =
        (k_consumer_registers_raw > 240 ? 240 : k_consumer_registers_raw) / 8 * 8;
};

#if defined(__CUDACC__)
}  // namespace flashscope::kernels::detail
#include "device/sm90/mbarrier.cuh"
namespace flashscope::kernels::detail {

template <typename Traits>
class Flash3Smem {
public:
    __device__ explicit Flash3Smem(std::uint32_t raw) : m_base((raw + 1023u) & ~1023u) {}

    __device__ std::uint32_t q_panel(int panel) const {
        return m_base + panel * Traits::k_q_panel_bytes;
    }
    // Consumer c's 64 rows in the first panel (later panels are k_q_panel_bytes apart).
    __device__ std::uint32_t q_rows(int consumer) const { return m_base + consumer * 64 * 128; }
    __device__ std::uint32_t k_panel(int stage, int panel) const {
        return m_base + Traits::k_k_offset + stage * Traits::k_kv_bytes +
               panel * Traits::k_kv_panel_bytes;
    }
    __device__ std::uint32_t v_panel(int stage, int panel) const {
        return m_base + Traits::k_v_offset + stage * Traits::k_kv_bytes +
               panel * Traits::k_kv_panel_bytes;
    }
    // Consumer c's 64 rows of the O staging tile (Q's rows when O has no room of its own).
    __device__ std::uint32_t o_rows(int consumer) const {
        return m_base + Traits::k_o_offset + consumer * 64 * 128;
    }
    __device__ std::uint32_t q_full() const { return barrier(0); }
    __device__ std::uint32_t q_empty() const { return barrier(1); }
    __device__ std::uint32_t k_full(int stage) const { return barrier(2 + stage); }
    __device__ std::uint32_t k_empty(int stage) const {
        return barrier(2 + Traits::k_stages + stage);
    }
    __device__ std::uint32_t v_full(int stage) const {
        return barrier(2 + 2 * Traits::k_stages + stage);
    }
    __device__ std::uint32_t v_empty(int stage) const {
        return barrier(2 + 3 * Traits::k_stages + stage);
    }
    __device__ std::uint32_t tile_slot() const { return barrier(Traits::k_barriers); }

    // By one thread, before a CTA barrier: "full" barriers complete on the producer's one
    // arrival plus the bytes; "empty" ones on one arrival per consumer warp.
    __device__ void init_barriers() const {
        constexpr std::uint32_t k_consumer_warps = 4 * Traits::k_consumers;
        device::sm90::mbarrier_init(q_full(), 1);
        device::sm90::mbarrier_init(q_empty(), k_consumer_warps);
        for (int s = 0; s < Traits::k_stages; ++s) {
            device::sm90::mbarrier_init(k_full(s), 1);
            device::sm90::mbarrier_init(v_full(s), 1);
            device::sm90::mbarrier_init(k_empty(s), k_consumer_warps);
            device::sm90::mbarrier_init(v_empty(s), k_consumer_warps);
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

// Host checks before a flash3 launch: the device is a Hopper (sm_90) GPU; sequence lengths fit
// the copy engine's 32-bit coordinates. Throw ConfigError.
void check_flash3_device();
bool flash3_device_supported();  // the same test, without throwing
void check_flash3_shape(const AttentionArgs& args);

}  // namespace flashscope::kernels::detail
