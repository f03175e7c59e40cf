// Does the tensor pipe keep its mma.sync rate while the same SM's other warps run the softmax's
// instructions? The question wgmma_overlap.cu answers for wgmma (where FMA-pipe work stalls the
// tensor cores), asked of mma.sync, the instruction of flash1/flash2 and of every card before
// Hopper: four warps (one per sub-partition) issue bf16 m16n8k16 chains, four others independent
// ex2 / FFMA / FADD / LOP3 chains; each part alone, then both at once, each timed by itself.
#include "overlap_parts.cuh"

namespace flashscope::ceilings {

namespace {

constexpr int k_mma_chains = 8;  // independent accumulators per warp
enum Part : int { k_tensor = 1, k_other = 2 };

template <int Parts, BesideOp Op>
__global__ void __launch_bounds__(256, 1)
    mma_overlap_kernel(int mma_iters, int other_iters, unsigned* sink, long long* cycles) {
    __shared__ unsigned long long part_end[2];
    if (threadIdx.x < 2) part_end[threadIdx.x] = 0;
    const int part = threadIdx.x / 128;  // warps 0-3: mma.sync, 4-7: the other part
    float s = 0;
    CEILINGS_START();
    if (part == 0) {
        if constexpr ((Parts & k_tensor) != 0) {
            const unsigned one = 0x3f803f80u;  // bf16 ones: any bits do for timing
            const unsigned a[4] = {one, one, one, one}, b[2] = {one, one};
            float c[k_mma_chains][4] = {};
            for (int it = 0; it < mma_iters; ++it) {
#pragma unroll
                for (int k = 0; k < k_mma_chains; ++k) mma_step<MmaType::bf16>(c[k], a, b);
            }
#pragma unroll
            for (int k = 0; k < k_mma_chains; ++k) s += c[k][0] + c[k][1] + c[k][2] + c[k][3];
        }
    } else {
        if constexpr ((Parts & k_other) != 0) s = overlap::other_part<Op>(other_iters);
    }
    CEILINGS_PART_END(part_end, part, ceilings_t0_);
    if (s == 1.25f) sink[blockIdx.x] = 1;
}

template <BesideOp Op>
PipeOverlap overlap_with(int other_iters, int runs) {
    // One warp per sub-partition issues mma.sync at the measured one-warp rate (about 2100
    // flop/clk/SM on the H200: 8 cycles per m16n8k16 per sub-partition); 4096 trips of 8 chains
    // take about 260k cycles. The other part is sized by the caller to about half of that.
    const int mma_iters = 4096;
    return overlap::measure_overlap(
        mma_overlap_kernel<k_tensor, Op>, mma_overlap_kernel<k_other, Op>,
        mma_overlap_kernel<k_tensor | k_other, Op>, 256, runs, mma_iters, other_iters);
}

}  // namespace

PipeOverlap mma_sync_overlap(BesideOp op, int runs) {
    // 4 warps x 64 instructions a trip: ex2 at 4 lanes/clk per sub-partition 512 cycles a trip,
    // FFMA and FADD at 32 lanes 64 cycles, LOP3 at 16 lanes 128 cycles.
    switch (op) {
        case BesideOp::ex2:
            return overlap_with<BesideOp::ex2>(256, runs);
        case BesideOp::ffma:
            return overlap_with<BesideOp::ffma>(2048, runs);
        case BesideOp::fadd:
            return overlap_with<BesideOp::fadd>(2048, runs);
        case BesideOp::lop3:
            return overlap_with<BesideOp::lop3>(1024, runs);
    }
    return {};
}

}  // namespace flashscope::ceilings
