// What does FlashAttention-3's ping-pong cost per turn? One CTA per SM of W consumer warpgroups;
// each loops: wait for its turn (named barrier), issue 4 wgmma m64nNk16 (SS, a k = 64 GEMM),
// commit, hand the turn to the next warpgroup, wait for its GEMM, then a softmax-like tail of S
// exp2 per thread on independent accumulators (MUFU, with an FFMA before and an FADD after each,
// as the forward's exp2(s - max) and row sums). W = 1 runs without turns. Cycles per iteration per
// warpgroup (clock64, median over the SMs), for S = 0..64: where the GEMMs of W warpgroups fill
// the tensor pipe the time is W GEMMs; where the tails are longer it is one GEMM and one tail, if
// the handoff costs nothing. The GEMM is m64n128k16 or m64n64k16 (FlashAttention-3's S = Q K^T
// with 128- or 64-key blocks; the latter needs the whole shared-memory bandwidth at the full
// tensor rate). Built and run by scripts/ping-pong-probe.sh (sm_90a).
#include <cuda_runtime.h>

#include <cstdio>

#include "pipe_ops.cuh"
#include "probe_check.cuh"
#include "turns.cuh"

namespace {

using namespace flashscope::ceilings;

constexpr int k_iterations = 512;

#ifdef CEILINGS_HAVE_WGMMA
constexpr int k_operand_bytes = 16384;  // A and B, zero

// One GEMM of the loop: 4 wgmma m64nNk16 SS (k = 64).
template <int N>
__device__ __forceinline__ void gemm(float (&d)[N / 2], unsigned long long a,
                                     unsigned long long b) {
    if constexpr (N == 128) {
#pragma unroll
        for (int k = 0; k < 4; ++k) wgmma_ss(d, a, b, 1);
    } else {
#pragma unroll
        for (int k = 0; k < 4; ++k) wgmma_ss_n64(d, a, b);
    }
}

#endif

// `warpgroups` consumer warpgroups of 128 threads; `Tail` exp2 per thread after each GEMM (a
// template parameter: the accumulators must be indexed statically to stay in registers).
template <int N, int Tail>
__global__ void ping_pong(int warpgroups, long long* cycles, float* sink) {
#ifdef CEILINGS_HAVE_WGMMA
    extern __shared__ __align__(128) unsigned char smem[];
    const unsigned base =
        fill_for_async_proxy(smem, k_operand_bytes / 4, [](unsigned) { return 0u; });
    __syncthreads();
    const int wg = threadIdx.x / 128;
    const bool turns = warpgroups > 1;
    const int pair = 256;  // a turn barrier: the waiting warpgroup and the one handing over
    const int mine = 1 + wg, next = 1 + (wg + 1 == warpgroups ? 0 : wg + 1);
    // The last warpgroup's last handover would find no one waiting: it skips it.
    const int handovers = wg == warpgroups - 1 ? k_iterations - 1 : k_iterations;
    const unsigned long long a_desc = smem_descriptor(base);
    const unsigned long long b_desc = smem_descriptor(base + 8192);
    float d[N / 2];
    for (float& x : d) x = 0.f;
    float sum[8] = {};
    // The last warpgroup hands the first turn to warpgroup 0.
    if (turns && wg == warpgroups - 1) bar_arrive(1, pair);
    const long long start = clock64();
    for (int it = 0; it < k_iterations; ++it) {
        if (turns) bar_sync(mine, pair);
        wgmma_fence();
        gemm<N>(d, a_desc, b_desc);
        asm volatile("wgmma.commit_group.sync.aligned;" ::: "memory");
        if (turns && it < handovers) bar_arrive(next, pair);
        asm volatile("wgmma.wait_group.sync.aligned 0;" ::: "memory");
        // exp2(s * log2e - max) and the row sums: independent elements, eight running sums.
#pragma unroll
        for (int i = 0; i < Tail; ++i) sum[i % 8] += ex2(ffma(d[i % (N / 2)], 1.4427f, -3.f - i));
    }
    const long long stop = clock64();
    if (threadIdx.x % 128 == 0) cycles[blockIdx.x * warpgroups + wg] = stop - start;
    // Every accumulator is used, so the GEMMs stay (ptxas drops wgmma whose results are dead).
    float all = 0.f;
    for (float x : d) all += x;
    for (float x : sum) all += x;
    if (all == 1.2345f) sink[0] = all;
#else
    if (warpgroups < 0) sink[0] = float(N + Tail) + float(cycles[0]);
#endif
}

}  // namespace

template <int N>
void table(const TurnRun& run) {
    const auto kernels = {ping_pong<N, 0>, ping_pong<N, 16>, ping_pong<N, 32>, ping_pong<N, 64>};
    for (auto kernel : kernels) TurnRun::allow_smem(kernel);
    std::printf(
        "GEMM: 4 wgmma m64n%dk16 SS; cycles per iteration per warpgroup (median over %d "
        "SMs)\n",
        N, run.sms);
    std::printf("warpgroups     S=0    S=16    S=32    S=64\n");
    for (int w = 1; w <= 3; ++w) {
        std::printf("%10d", w);
        for (auto kernel : kernels)
            std::printf("  %6.1f", run.median_cycles_per_iteration(kernel, w, k_iterations));
        std::printf("\n");
    }
}

int main() {
    const TurnRun run(3);
    std::printf("S exp2 per thread after each GEMM; warpgroups > 1 take turns at the GEMMs\n");
    table<128>(run);
    table<64>(run);
    return 0;
}
