// Does the tensor pipe keep its wgmma rate while the same SM's other warps run the softmax's
// instructions? FlashAttention-3 counts on it: one warpgroup's exp2 runs while the other's GEMMs
// do. Here two warpgroups issue chains of wgmma (as the rate benchmark does) and two others issue
// independent ex2 (or FFMA) chains, first each part alone, then both at once; independent pipes
// would take the longer part's time for both. Also the wgmma rate with A from shared memory as
// well ("SS", FlashAttention-3's Q K^T). Built for sm_90a alone, like wgmma.cu.
#include "cuda_check.cuh"
#include "flashscope/ceilings/microbenchmarks.hpp"
#include "overlap_parts.cuh"
#include "wgmma_instr.cuh"

namespace flashscope::ceilings {

namespace {

using overlap::k_other_chains;
using overlap::part_cycles;

constexpr int k_chain = 8;           // wgmma per commit group, one accumulator
constexpr int k_smem_bytes = 16384;  // zeroed: B at 0, A (SS form) at 8 KiB

enum Part : int { k_tensor = 1, k_other = 2, k_tensor_ss = 4 };

#ifdef CEILINGS_HAVE_WGMMA
template <bool ASmem>
__device__ float wgmma_part(int iters, unsigned smem) {
    const unsigned long long b_desc = smem_descriptor(smem);
    const unsigned long long a_desc = smem_descriptor(smem + 8192);
    const unsigned a[4] = {0, 0, 0, 0};
    float d[64] = {};
    for (int it = 0; it < iters; ++it) {
        wgmma_fence();
#pragma unroll
        for (int k = 0; k < k_chain; ++k) {
            if constexpr (ASmem)
                wgmma_ss(d, a_desc, b_desc, 1);
            else
                wgmma_rs(d, a, b_desc, 1);
        }
        wgmma_commit_and_wait();
    }
    float s = 0;
#pragma unroll
    for (int i = 0; i < 64; ++i) s += d[i];
    return s;
}
#endif

#ifdef CEILINGS_HAVE_WGMMA
// The same warpgroups do both, as a FlashAttention-3 consumer does: each trip issues a chain of
// wgmma, runs `ex2_per_trip` ex2 per thread (8 independent chains) while it is in flight, then
// waits for it. Either part can be left out (with_wgmma 0, ex2_trips 0) to time the other alone.
__device__ float wgmma_with_ex2(int iters, int ex2_trips, bool with_wgmma, unsigned smem) {
    const unsigned long long b_desc = smem_descriptor(smem);
    const unsigned a[4] = {0, 0, 0, 0};
    float d[64] = {};
    float x[k_other_chains];
#pragma unroll
    for (int k = 0; k < k_other_chains; ++k) x[k] = -1.0f - float(k);
    for (int it = 0; it < iters; ++it) {
        if (with_wgmma) {
            wgmma_fence();
#pragma unroll
            for (int k = 0; k < k_chain; ++k) wgmma_rs(d, a, b_desc, 1);
        }
        asm volatile("wgmma.commit_group.sync.aligned;" ::: "memory");
        for (int t = 0; t < ex2_trips; ++t)
#pragma unroll
            for (int k = 0; k < k_other_chains; ++k) x[k] = ex2(x[k]);
        asm volatile("wgmma.wait_group.sync.aligned 0;" ::: "memory");
    }
    float s = 0;
#pragma unroll
    for (int i = 0; i < 64; ++i) s += d[i];
#pragma unroll
    for (int k = 0; k < k_other_chains; ++k) s += x[k];
    return s;
}
#endif

// Two warpgroups, each interleaving its wgmma chains with ex2 (wgmma_with_ex2).
__global__ void __launch_bounds__(256, 1)
    interleaved_kernel(int iters, int ex2_trips, int with_wgmma, unsigned* sink,
                       long long* cycles) {
#ifdef CEILINGS_HAVE_WGMMA
    extern __shared__ __align__(128) unsigned char smem[];
    const unsigned base = fill_for_async_proxy(smem, k_smem_bytes / 4, [](unsigned) { return 0u; });
    CEILINGS_START();
    const float s = wgmma_with_ex2(iters, ex2_trips, with_wgmma != 0, base);
    CEILINGS_STOP(cycles);
    if (s == 1.25f) sink[blockIdx.x] = 1;
#else
    if (iters < 0) sink[0] = cycles && ex2_trips && with_wgmma ? 1 : 0;
#endif
}

// Four warpgroups: 0 and 1 run the wgmma part, 2 and 3 the other part, as `Parts` says. Each part
// is timed on its own from the common start to its last warp's end: cycles[2 * cta + part].
template <int Parts, BesideOp Op>
__global__ void __launch_bounds__(512, 1)
    overlap_kernel(int wgmma_iters, int other_iters, unsigned* sink, long long* cycles) {
#ifdef CEILINGS_HAVE_WGMMA
    extern __shared__ __align__(128) unsigned char smem[];
    __shared__ unsigned long long part_end[2];
    if (threadIdx.x < 2) part_end[threadIdx.x] = 0;
    const unsigned base = fill_for_async_proxy(smem, k_smem_bytes / 4, [](unsigned) { return 0u; });
    const int part = threadIdx.x / 256;  // 0: the wgmma warpgroups, 1: the others
    float s = 0;
    CEILINGS_START();
    if (part == 0) {
        if constexpr ((Parts & k_tensor) != 0) s = wgmma_part<false>(wgmma_iters, base);
        if constexpr ((Parts & k_tensor_ss) != 0) s = wgmma_part<true>(wgmma_iters, base);
    } else {
        if constexpr ((Parts & k_other) != 0) s = overlap::other_part<Op>(other_iters);
    }
    CEILINGS_PART_END(part_end, part, ceilings_t0_);
    if (s == 1.25f) sink[blockIdx.x] = 1;
#else
    if (wgmma_iters < 0) sink[0] = cycles && other_iters ? 1 : 0;
#endif
}

}  // namespace

template <BesideOp Op>
PipeOverlap overlap_with(int other_iters, int runs) {
    const int wgmma_iters = 256;
    return overlap::measure_overlap(overlap_kernel<k_tensor, Op>, overlap_kernel<k_other, Op>,
                                    overlap_kernel<k_tensor | k_other, Op>, 512, runs, wgmma_iters,
                                    other_iters);
}

PipeOverlap wgmma_overlap(BesideOp op, int runs) {
    // Two warpgroups of m64n128k16 at the measured 4096 flop/clk take 512 cycles per chain of 8
    // each; 256 chains: about 262k cycles. The other part, 2 x 128 threads x 64 instructions per
    // trip, is sized to about half of that at its measured rate: ex2 16 /clk/SM, FFMA and FADD
    // 128, LOP3 64.
    switch (op) {
        case BesideOp::ex2:
            return overlap_with<BesideOp::ex2>(128, runs);
        case BesideOp::ffma:
            return overlap_with<BesideOp::ffma>(1024, runs);
        case BesideOp::fadd:
            return overlap_with<BesideOp::fadd>(1024, runs);
        case BesideOp::lop3:
            return overlap_with<BesideOp::lop3>(512, runs);
    }
    return {};
}

PipeOverlap wgmma_interleaved_with_ex2(int runs) {
    // Per trip two warpgroups' chains of 8 take 1024 cycles at the full rate; 4 x 8 ex2 per
    // thread (8192 per SM at 16 /clk) about half of that.
    const int iters = 256, ex2_trips = 4;
    const auto cycles = [&](int trips, int with_wgmma) {
        return 1.0 /
               detail::per_sm_rate(interleaved_kernel, 256, 1.0, runs, iters, trips, with_wgmma);
    };
    PipeOverlap r;
    r.tensor_alone = cycles(0, 1);
    r.other_alone = cycles(ex2_trips, 0);
    r.together = cycles(ex2_trips, 1);
    return r;
}

double wgmma_ss_flops_per_clk(int runs) {
    const int iters = 256;
    const double flops = 2.0 * 64 * 128 * 16 * k_chain * iters * 2;
    return flops /
           part_cycles(overlap_kernel<k_tensor_ss, BesideOp::ex2>, 512, runs, iters, 0).tensor;
}

}  // namespace flashscope::ceilings
