#pragma once
// Registers per thread of the warp-tiled mma.sync attention kernels, counted from the tile: what
// a thread keeps live at the loop's busiest point. Fragment sizes are those of mma.m16n8k16
// (PTX ISA, "Matrix Fragments for mma.m16n8k16"): a 16x8 fp32 accumulator tile is 4 registers per
// thread, a 16x16 A operand 4 and a 16x8 B operand 2 (16-bit elements, two to a register).
// tests/kernels/kernel_resources_test.cpp compares the estimate with ptxas for every built kernel.
#include <algorithm>
#include <cstdint>

#include "flashscope/sim/kernel_plan.hpp"
#include "flashscope/sim/tile_grid.hpp"

namespace flashscope::sim::detail {

// The most registers a thread can address (PTX ISA, "Maximum number of registers per thread";
// CUDA C++ Programming Guide, compute capability table: 255 for every architecture since sm_35).
// ptxas spills what exceeds it to local memory, 4 bytes per register.
inline constexpr std::int64_t k_register_limit = 255;

// Loop-live scalars besides the tile values, counted in the kernel sources (32-bit registers; a
// pointer or 64-bit index is two): lane/row indices, global pointers of the streamed tensors and
// their fallback addresses, row strides, shared-memory bases and per-lane ldmatrix addresses, loop
// bounds, the softmax scale and the causal diagonal.
// flash2 forward (kernels/src/flash2_fwd_kernel.cuh): K/V copy pointers and strides (8), their
// fallbacks (4), row strides (4), shared bases and copy offsets (5), loop and mask scalars (7),
// lane, ldmatrix addresses (4): 32.
inline constexpr std::int64_t k_flash2_fwd_addressing = 32;
// flash1 forward (kernels/src/flash1_fwd_kernel.cuh) adds the pointers of the state it reads and
// writes per Q block (O, logsumexp, O accumulator, row max, row sum: 10), the Q pointer and the
// Q-block loop bounds and 64-bit row indices (6): 48.
inline constexpr std::int64_t k_flash1_fwd_addressing = 48;
// Backward (kernels/src/flash2_bwd_kernel.cuh): pointers of Q, dO, logsumexp, D, the dQ
// accumulator and its semaphores (12), row strides (4), shared bases and per-stage statistics (7),
// 64-bit block offsets and sequence lengths (10), loop, mask and mode scalars (8), lane and row
// (3), ldmatrix addresses (4): 48.
inline constexpr std::int64_t k_backward_addressing = 48;

// The most spilling a tile may need. The built kernels spill up to 392 B per thread (ptxas,
// flash2 backward 128x128x8 at d = 64 on sm_90: kernels/resource_usage.json) and run as modelled;
// past a little more than that no kernel shows the design still holds, so such tiles are refused
// (as too many registers) rather than ranked on a spill cost nobody measured.
inline constexpr std::int64_t k_spill_limit_bytes = 512;

struct RegisterEstimate {
    std::int64_t demand = 0;  // live registers per thread at the peak
    // What the loop carries from one block to the next (accumulators, softmax state, addresses):
    // the kernel's design keeps it in registers, so only the rest of the demand may spill.
    std::int64_t carried = 0;
    // What ptxas allocates, demand above the limit going to local memory. A tile whose carried
    // state alone exceeds the limit cannot be built as designed: it asks for all of it, and the
    // occupancy check refuses it naming the registers.
    std::int64_t registers() const {
        if (carried > k_register_limit) return carried;
        if (unbounded_spill() > k_spill_limit_bytes) return demand;  // refused as well
        return std::min(demand, k_register_limit);
    }
    std::int64_t spill_bytes() const {
        if (carried > k_register_limit || unbounded_spill() > k_spill_limit_bytes) return 0;
        return unbounded_spill();
    }
    std::int64_t unbounded_spill() const {
        return std::max<std::int64_t>(0, demand - k_register_limit) * 4;
    }
    CtaResources resources(std::int64_t threads, std::int64_t sram) const {
        return {threads, sram, registers(), spill_bytes()};
    }
};

// Registers per thread for a thread's share of an fp32 accumulator tile (rows x cols) spread over
// the warps in 16x8 fragments of 4 registers each.
inline std::int64_t accumulator_share(std::int64_t rows, std::int64_t cols, std::int64_t warps) {
    return ceil_div(ceil_div(rows, 16) * ceil_div(cols, 8), warps) * 4;
}

// Forward: each warp owns m = ceil(block_m / warps / 16) 16-row MMA tiles of queries. At the peak
// (S = QK^T of a key block, O still live) a thread holds its share of the O accumulator
// (block_m, head_dim) and of the scores S (block_m, block_n), the running max and sum (2 rows per
// tile each), and the operands of one k-step: one A fragment per m tile and the B fragments of the
// whole key block, twice, since ptxas loads the next k-step's operands while the current MMAs run.
inline RegisterEstimate forward_registers(std::int64_t head_dim, std::int64_t block_m,
                                          std::int64_t block_n, std::int64_t warps,
                                          std::int64_t addressing) {
    const std::int64_t m = ceil_div(ceil_div(block_m, warps), 16);
    const std::int64_t accumulators = accumulator_share(block_m, head_dim, warps);
    const std::int64_t scores = accumulator_share(block_m, block_n, warps);
    const std::int64_t softmax_state = m * 2 * 2;
    const std::int64_t operands = 2 * (m * 4 + ceil_div(block_n, 8) * 2);
    const std::int64_t carried = accumulators + softmax_state + addressing;
    return {carried + scores + operands, carried};
}

// Backward: a CTA owns block_n keys and loops over query blocks; each warp holds its share of the
// dK and dV accumulators (block_n, head_dim) (spread over the warps along keys, and along
// head_dim when there are more warps than 16-key tiles, as FlashAttention-2 lays them out). At the
// peak (dP^T = V dO^T, then dS) a thread also holds its share of P^T packed to 16-bit A
// fragments (half the registers of fp32) and of dP^T in fp32, the D values of its columns
// (block_m/8 fragments x 2), and one k-step's operands twice (as forward), with n = ceil(block_n
// / warps / 16) A fragments.
inline RegisterEstimate backward_registers(std::int64_t head_dim, std::int64_t block_m,
                                           std::int64_t block_n, std::int64_t warps,
                                           std::int64_t addressing) {
    const std::int64_t n = ceil_div(ceil_div(block_n, warps), 16);
    const std::int64_t accumulators = 2 * accumulator_share(block_n, head_dim, warps);
    const std::int64_t p_packed = ceil_div(accumulator_share(block_n, block_m, warps), 2);
    const std::int64_t dp = accumulator_share(block_n, block_m, warps);
    const std::int64_t row_terms = ceil_div(block_m, 8) * 2;
    const std::int64_t operands = 2 * (n * 4 + ceil_div(block_m, 8) * 2);
    const std::int64_t carried = accumulators + addressing;
    return {carried + p_packed + dp + row_terms + operands, carried};
}

}  // namespace flashscope::sim::detail
