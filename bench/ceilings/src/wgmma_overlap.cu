// Does the tensor pipe keep its wgmma rate while the same SM's other warps run the softmax's
// instructions? FlashAttention-3 counts on it: one warpgroup's exp2 runs while the other's GEMMs
// do. Here two warpgroups issue chains of wgmma (as the rate benchmark does) and two others issue
// independent ex2 (or FFMA) chains, first each part alone, then both at once; independent pipes
// would take the longer part's time for both. Also the wgmma rate with A from shared memory as
// well ("SS", FlashAttention-3's Q K^T). Built for sm_90a alone, like wgmma.cu.
#include "cuda_check.cuh"
#include "flashscope/ceilings/microbenchmarks.hpp"
#include "pipe_ops.cuh"
#include "wgmma_instr.cuh"

namespace flashscope::ceilings {

namespace {

constexpr int k_chain = 8;           // wgmma per commit group, one accumulator
constexpr int k_other_chains = 8;    // independent ex2 / FFMA chains per thread
constexpr int k_other_unroll = 8;    // chain steps per loop trip
constexpr int k_smem_bytes = 16384;  // zeroed: B at 0, A (SS form) at 8 KiB

enum Part : int { k_tensor = 1, k_mufu = 2, k_ffma = 4, k_tensor_ss = 8 };

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

template <bool Mufu>
__device__ float other_part(int iters) {
    float x[k_other_chains];
#pragma unroll
    for (int k = 0; k < k_other_chains; ++k) x[k] = -1.0f - float(k);
    for (int it = 0; it < iters; ++it) {
#pragma unroll
        for (int u = 0; u < k_other_unroll; ++u)
#pragma unroll
            for (int k = 0; k < k_other_chains; ++k)
                x[k] = Mufu ? ex2(x[k]) : ffma(x[k], 0.999f, 1e-3f);
    }
    float s = 0;
#pragma unroll
    for (int k = 0; k < k_other_chains; ++k) s += x[k];
    return s;
}

// Four warpgroups: 0 and 1 run the wgmma part, 2 and 3 the other part, as `Parts` says.
template <int Parts>
__global__ void __launch_bounds__(512, 1)
    overlap_kernel(int wgmma_iters, int other_iters, unsigned* sink, long long* cycles) {
#ifdef CEILINGS_HAVE_WGMMA
    extern __shared__ __align__(128) unsigned char smem[];
    for (unsigned i = threadIdx.x; i < k_smem_bytes / 4; i += blockDim.x)
        reinterpret_cast<unsigned*>(smem)[i] = 0;
    asm volatile("fence.proxy.async.shared::cta;" ::: "memory");
    const unsigned base = static_cast<unsigned>(__cvta_generic_to_shared(smem));
    const int warpgroup = threadIdx.x / 128;
    float s = 0;
    CEILINGS_START();
    if (warpgroup < 2) {
        if constexpr ((Parts & k_tensor) != 0) s = wgmma_part<false>(wgmma_iters, base);
        if constexpr ((Parts & k_tensor_ss) != 0) s = wgmma_part<true>(wgmma_iters, base);
    } else {
        if constexpr ((Parts & k_mufu) != 0) s = other_part<true>(other_iters);
        if constexpr ((Parts & k_ffma) != 0) s = other_part<false>(other_iters);
    }
    CEILINGS_STOP(cycles);
    if (s == 1.25f) sink[blockIdx.x] = 1;
#else
    if (wgmma_iters < 0) sink[0] = cycles && other_iters ? 1 : 0;
#endif
}

// Median over SMs (one CTA each) of the cycles a launch took, median of `runs` launches.
template <int Parts>
double cycles_of(int wgmma_iters, int other_iters, int runs) {
    // A "rate" of 1 op per CTA gives 1 / cycles.
    return 1.0 /
           detail::per_sm_rate(overlap_kernel<Parts>, 512, 1.0, runs, wgmma_iters, other_iters);
}

}  // namespace

WgmmaOverlap wgmma_overlap(bool ffma_instead_of_ex2, int runs) {
    // Two warpgroups of m64n128k16 at the measured 4096 flop/clk take 512 cycles per chain of 8
    // each; 256 chains: about 262k cycles. The other part is sized to about half of that.
    const int wgmma_iters = 256;
    WgmmaOverlap r;
    r.tensor_alone = cycles_of<k_tensor>(wgmma_iters, 0, runs);
    if (ffma_instead_of_ex2) {
        const int iters = 1024;  // 2 x 128 threads x 64 FFMA per trip at 128 lanes/clk/SM
        r.other_alone = cycles_of<k_ffma>(0, iters, runs);
        r.together = cycles_of<k_tensor | k_ffma>(wgmma_iters, iters, runs);
    } else {
        const int iters = 128;  // 2 x 128 threads x 64 ex2 per trip at 16 /clk/SM
        r.other_alone = cycles_of<k_mufu>(0, iters, runs);
        r.together = cycles_of<k_tensor | k_mufu>(wgmma_iters, iters, runs);
    }
    return r;
}

double wgmma_ss_flops_per_clk(int runs) {
    const int iters = 256;
    const double flops = 2.0 * 64 * 128 * 16 * k_chain * iters * 2;
    return flops / cycles_of<k_tensor_ss>(iters, 0, runs);
}

}  // namespace flashscope::ceilings
