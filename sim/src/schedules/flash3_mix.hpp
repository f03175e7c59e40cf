#pragma once
// What one consumer warp of FlashAttention-3 issues per step (the producer warp's few TMA and
// barrier instructions per step are left out: CtaResources::issuing_warps). A consumer warp owns
// 16 rows of its warpgroup's m64 wgmma and issues each wgmma.m64nNk16 of its warpgroup; wgmma is
// asynchronous, so the phases say which results each needs (Phase::after), and the GEMM-issuing
// phases take turns with the other warpgroups' (Phase::turn) where the kernel ping-pongs.
// Loads are TMA copies by the producer: no cp.async, ldmatrix or LSU load in these mixes.
#include <cstdint>

#include "flashscope/sim/instruction_mix.hpp"

namespace flashscope::sim::detail {

struct Flash3Tile {
    std::int64_t block_m;
    std::int64_t block_n;
    std::int64_t head_dim;
    std::int64_t warpgroups;  // consumer warpgroups
    std::int64_t elem;        // bytes per element
    bool p_in_registers;      // PV's A operand from registers (RS) or shared memory (SS)
    bool ping_pong;           // the consumer warpgroups take turns issuing their GEMMs
};

// Whether FlashAttention-3 ping-pongs for this tile: its scheduler barrier is on with intra-
// warpgroup overlap when there are two or three consumer warpgroups and head_dim <= 128 for
// 16-bit inputs (hopper/mainloop_fwd_sm90_tma_gmma_ws.hpp, UseSchedulerBarrier).
bool flash3_ping_pong(std::int64_t warpgroups, std::int64_t head_dim);

// Forward, one K/V block j (intra-warpgroup overlap, FlashAttention-3 Algorithm 2): issue
// S_j = Q K_j^T, rescale O, issue O += P_{j-1} V_{j-1} (the turn ends here), then the softmax of
// S_j (needs S_j only, so it runs while P_{j-1} V_{j-1} is in the tensor pipe), then wait for
// that PV and pack P_j. `first`: block 0, no PV yet. `masked`: crosses the diagonal or the end.
InstructionMix flash3_forward_step_mix(const Flash3Tile& t, bool first, bool masked);
// Forward epilogue: the last block's PV, normalise O, stage it in shared memory for the TMA
// store, the logsumexp.
InstructionMix flash3_forward_epilogue_mix(const Flash3Tile& t);
// Backward, one Q block against the CTA's K/V block: S and dP (wgmma), P and dS, then dV, dK and
// dQ (wgmma; dQ needs dS only), the fp32 dQ block staged in shared memory for the producer's TMA
// reduce-add.
InstructionMix flash3_backward_step_mix(const Flash3Tile& t, bool masked);
// Either pass's prologue and the backward's epilogue (dK, dV staged for the TMA store).
InstructionMix flash3_prologue_mix();
InstructionMix flash3_backward_epilogue_mix(const Flash3Tile& t);

}  // namespace flashscope::sim::detail
