#pragma once
// FlashAttention-3's CTA on Hopper (Shah et al. 2024; github:Dao-AILab/flash-attention, hopper/):
// one producer warpgroup whose single thread issues the TMA copies, and one to three consumer
// warpgroups that issue the wgmma GEMMs and run the softmax. setmaxnreg moves the register file
// from the producer to the consumers; every consumer warpgroup owns whole m64 wgmma row blocks.
// This file says which tiles such a CTA can be built as, and with how many registers.
#include <cstdint>
#include <string>

#include "flashscope/core/problem.hpp"
#include "flashscope/core/tile.hpp"

namespace flashscope::sim::detail {

inline constexpr std::int64_t k_warpgroup_warps = 4;
// 64K 32-bit registers per SM on Hopper [WP]: FlashAttention-3 runs one CTA per SM and splits them.
inline constexpr std::int64_t k_hopper_register_file = 65536;
// Loop-live scalars of a consumer thread besides its tiles (descriptors, barrier addresses,
// pipeline indices, the mask's diagonal and the softmax scale). The published 192 x 192 d = 64
// forward tile leaves 28 of its 160 registers for them (its O, S and row state take 132), so
// the estimate is no larger than what FlashAttention-3 itself fits; not fitted to a time.
inline constexpr std::int64_t k_flash3_addressing = 24;

struct Flash3Warps {
    std::int64_t consumer_warpgroups = 0;  // 1 to 3
    std::int64_t producer_registers = 0;   // per thread after setmaxnreg.dec
    std::int64_t consumer_registers = 0;   // per thread after setmaxnreg.inc
    std::int64_t consumer_warps() const { return k_warpgroup_warps * consumer_warpgroups; }
    std::int64_t threads() const { return 32 * k_warpgroup_warps * (consumer_warpgroups + 1); }
    // What the launch allocates (ptxas caps the kernel at the file over its threads, in the
    // allocation unit of 8 per thread); setmaxnreg then moves them between the warpgroups.
    std::int64_t launch_registers() const;
};

// The warpgroups of a `warps`-warp CTA; consumer_warpgroups 0 when warps is not 8, 12 or 16.
// Register split of FlashAttention-3's kernels (hopper/flash_fwd_kernel_sm90.h and
// flash_bwd_kernel_sm90.h, LoadRegisterRequirement / MmaRegisterRequirement): one consumer
// warpgroup 56 / 256, two 24 / 240, three 32 / 160.
Flash3Warps flash3_warps(std::int64_t warps);

// How a GEMM output (m x n) is shared among the consumer warpgroups in whole m64 wgmma rows
// (transposing it if that is what splits: FlashAttention-3's swapAB): rows per warpgroup (a
// multiple of 64) and the N of each wgmma.m64nNk16; rows 0 when no split works.
struct WgmmaSplit {
    std::int64_t rows = 0;
    std::int64_t n = 0;
};
WgmmaSplit wgmma_split(std::int64_t m, std::int64_t n, std::int64_t warpgroups);

// Consumer registers per thread at the loop's busiest point. Forward (a consumer warpgroup owns
// 64 query rows): its O accumulator d/2, scores S of the next block block_n/2 while P of this one
// (block_n/4, 16-bit) waits for its PV wgmma (register-sourced, "RS"), the row max and sum (4).
// When RS does not fit, P goes through shared memory (SS) and drops out, as FlashAttention-3
// chooses per tile (MmaPV_is_RS in hopper/tile_size.h).
struct Flash3ForwardRegisters {
    std::int64_t demand = 0;
    bool p_in_registers = true;
};
Flash3ForwardRegisters flash3_forward_registers(std::int64_t head_dim, std::int64_t block_n,
                                                const Flash3Warps& w);
// Backward: the consumer threads' share of the dK and dV accumulators (block_n, d) and of S and
// dP (block_m, block_n), both fp32.
std::int64_t flash3_backward_registers(std::int64_t head_dim, std::int64_t block_m,
                                       std::int64_t block_n, const Flash3Warps& w);

// Shared memory of a CTA. Forward: Q, `stages` K and V buffers, O staged for its TMA store in
// V's place (FlashAttention-3 overlays smem_o on smem_v), and P when it is not in registers.
// Backward: K and V, `stages` Q, dO, logsumexp and D buffers, dS (the dK and dQ GEMMs read it
// from shared memory; P feeds dV from registers), and the fp32 dQ block staged for its TMA
// reduce-add.
std::int64_t flash3_forward_sram(std::int64_t d, std::int64_t bm, std::int64_t bn,
                                 std::int64_t stages, std::int64_t elem, bool p_in_registers);
std::int64_t flash3_backward_sram(std::int64_t d, std::int64_t bm, std::int64_t bn,
                                  std::int64_t stages, std::int64_t elem);

// Why the complete tile cannot be built for the problem (register and SRAM limits aside, which
// the occupancy check names): "" when it can; else a ConfigError-style triple.
struct TileRefusal {
    std::string field, value, limit;
    bool empty() const { return field.empty(); }
};
TileRefusal flash3_tile_refusal(const TileConfig& tile, const AttentionProblem& problem);

// FlashAttention-3's tiles per head dim, 16-bit inputs (github:Dao-AILab/flash-attention at
// 0251105a, hopper/tile_size.h tile_size_fwd_sm90; hopper/flash_bwd_launch_template.h
// run_mha_bwd_hdim* for Arch >= 90), with their warps: 4 per consumer warpgroup plus the
// producer's 4.
TileConfig fa3_forward_tile(const AttentionProblem& problem);
TileConfig fa3_backward_tile(const AttentionProblem& problem);

}  // namespace flashscope::sim::detail
