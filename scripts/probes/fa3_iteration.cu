// One iteration of FlashAttention-3's forward loop, bare (no TMA, no producer warp, no masking):
// the step that scripts/ping_pong.cu leaves out. Per warpgroup of 64 query rows, a 64-key block
// and d = 64, as flashscope's flash3 forward 128x64 tile runs it: in its turn S_j = Q K_j^T (4
// wgmma m64n64k16 SS) and O += P_{j-1} V_{j-1} (4 wgmma m64n64k16, P from registers), hand the
// turn on; wait for S_j; the row max over the thread's 16 values a row and the quad's (shuffles),
// the running max's correction (exp2), exp2(s * scale - max) and the row sums; wait for P V;
// O times the correction (with `Rescale`); P packed to bf16 pairs for the next P V. Built up in
// levels (the GEMMs alone, then the row max, then the exponentials) to see where time goes. One CTA
// per SM of 1 or 2 consumer warpgroups; cycles per iteration per warpgroup (clock64, median over
// the SMs). Built and run by scripts/fa3-iteration-probe.sh (sm_90a).
#include <cuda_runtime.h>

#include <cstdio>

#include "pipe_ops.cuh"
#include "probe_check.cuh"
#include "turns.cuh"

namespace {

using namespace flashscope::ceilings;

constexpr int k_iterations = 512;

#ifdef CEILINGS_HAVE_WGMMA
__device__ __forceinline__ float shfl_xor(float x, int lane_mask) {
    return __shfl_xor_sync(0xffffffffu, x, lane_mask);
}
// The kernel's pipeline barriers (mbarrier in shared memory): a wait on a phase that has already
// completed, as a consumer's wait for a K or V block the producer loaded long before, and an
// arrive, as its release of a block.
__device__ __forceinline__ void mbar_init(unsigned addr, unsigned count) {
    asm volatile("mbarrier.init.shared::cta.b64 [%0], %1;" ::"r"(addr), "r"(count) : "memory");
}
// Predicated inside the asm: a branch around it would be divergent control flow between wgmma,
// which makes ptxas serialize them (C7520).
__device__ __forceinline__ void mbar_arrive(unsigned addr, bool arrive = true) {
    asm volatile(
        "{\n.reg .pred p;\nsetp.ne.b32 p, %1, 0;\n@p mbarrier.arrive.shared::cta.b64 _, "
        "[%0];\n}\n" ::"r"(addr),
        "r"(int(arrive))
        : "memory");
}
__device__ __forceinline__ void mbar_wait(unsigned addr, unsigned parity) {
    asm volatile(
        "{\n.reg .pred done;\nwait_%=:\n"
        "mbarrier.try_wait.parity.shared::cta.b64 done, [%0], %1;\n"
        "@!done bra wait_%=;\n}\n" ::"r"(addr),
        "r"(parity)
        : "memory");
}
#endif

// Level 0: the GEMMs, the waits and the pack alone (P = S); 1: and the row max, the quad's
// shuffles and the correction; 2: and the exponentials and row sums (the whole softmax). `Tree`:
// the row max over the thread's values as a tree rather than a chain (the same instructions).
// `Sync`: and the kernel's pipeline barriers: a wait for K_j before S_j and for V_{j-1} before
// P V (each completed by the warpgroup's thread 0 an iteration ahead, so neither waits for data)
// and each warp's arrive releasing them once their GEMMs are done.
template <int Level, bool Rescale, bool Tree = false, bool Sync = false>
__global__ void fa3_iteration(int warpgroups, long long* cycles, float* sink) {
#ifdef CEILINGS_HAVE_WGMMA
    extern __shared__ __align__(128) unsigned char smem[];
    const unsigned base = fill_for_async_proxy(smem, 24576 / 4, [](unsigned) { return 0u; });
    __syncthreads();
    const int wg = threadIdx.x / 128;
    const bool turns = warpgroups > 1;
    const int pair = 256;
    const int mine = 1 + wg, next = 1 + (wg + 1 == warpgroups ? 0 : wg + 1);
    const int handovers = wg == warpgroups - 1 ? k_iterations - 1 : k_iterations;
    const unsigned long long q = smem_descriptor(base), k = smem_descriptor(base + 8192),
                             v = smem_descriptor(base + 16384);
    const float scale = 1.4427f * 0.125f;
    float s[32], o[32];
    unsigned p[16];
    for (float& x : o) x = 0.f;
    for (unsigned& x : p) x = 0u;
    float row_max[2] = {-1e30f, -1e30f}, row_sum[2] = {0.f, 0.f};
    // Per warpgroup: K full, V full (count 1: its thread 0), K empty, V empty (count 4: a warp).
    const unsigned bars = base + 24576 + 64 * unsigned(wg);
    const unsigned k_full = bars, v_full = bars + 8, k_empty = bars + 16, v_empty = bars + 24;
    const bool leader = threadIdx.x % 128 == 0, warp_leader = threadIdx.x % 32 == 0;
    if constexpr (Sync) {
        if (leader) {
            mbar_init(k_full, 1);
            mbar_init(v_full, 1);
            mbar_init(k_empty, 4);
            mbar_init(v_empty, 4);
            asm volatile("fence.mbarrier_init.release.cluster;" ::: "memory");
            mbar_arrive(k_full);
            mbar_arrive(v_full);
        }
        __syncthreads();
    }
    if (turns && wg == warpgroups - 1) bar_arrive(1, pair);
    const long long start = clock64();
    for (int it = 0; it < k_iterations; ++it) {
        if (turns) bar_sync(mine, pair);
        if constexpr (Sync) mbar_wait(k_full, unsigned(it) & 1u);
        wgmma_fence();
        for (float& x : s) x = 0.f;
#pragma unroll
        for (int kk = 0; kk < 4; ++kk) wgmma_ss_n64(s, q, k);
        asm volatile("wgmma.commit_group.sync.aligned;" ::: "memory");
        if constexpr (Sync) mbar_wait(v_full, unsigned(it) & 1u);
#pragma unroll
        for (int kk = 0; kk < 4; ++kk) wgmma_rs_n64(o, p + 4 * kk, v);
        asm volatile("wgmma.commit_group.sync.aligned;" ::: "memory");
        if (turns && it < handovers) bar_arrive(next, pair);
        asm volatile("wgmma.wait_group.sync.aligned 1;" ::: "memory");
        if constexpr (Sync) mbar_arrive(k_empty, warp_leader);
        // The accumulator layout: values i with i % 4 < 2 are the thread's first row.
        float correction[2] = {1.f, 1.f};
        float e[32];
#pragma unroll
        for (int i = 0; i < 32; ++i) e[i] = s[i];
        if constexpr (Level >= 1) {
            float block_max[2];
            if constexpr (Tree) {
                // The same max as a tree (depth 4 a row) instead of a chain.
#pragma unroll
                for (int r = 0; r < 2; ++r) {
                    float u[8];
#pragma unroll
                    for (int i = 0; i < 8; ++i)
                        u[i] = fmaxf(s[i * 4 + 2 * r], s[i * 4 + 2 * r + 1]);
#pragma unroll
                    for (int w = 4; w >= 1; w /= 2)
#pragma unroll
                        for (int i = 0; i < w; ++i) u[i] = fmaxf(u[i], u[i + w]);
                    block_max[r] = u[0];
                }
            } else {
                block_max[0] = s[0];
                block_max[1] = s[2];
#pragma unroll
                for (int i = 4; i < 32; i += 4) {
                    block_max[0] = fmaxf(block_max[0], fmaxf(s[i], s[i + 1]));
                    block_max[1] = fmaxf(block_max[1], fmaxf(s[i + 2], s[i + 3]));
                }
                block_max[0] = fmaxf(block_max[0], s[1]);
                block_max[1] = fmaxf(block_max[1], s[3]);
            }
#pragma unroll
            for (int r = 0; r < 2; ++r) {
                float m = fmaxf(block_max[r], shfl_xor(block_max[r], 1));
                m = fmaxf(m, shfl_xor(m, 2));
                const float new_max = fmaxf(row_max[r], m);
                correction[r] = ex2((row_max[r] - new_max) * scale);
                row_max[r] = new_max;
                row_sum[r] *= correction[r];
            }
        }
        if constexpr (Level >= 2) {
#pragma unroll
            for (int i = 0; i < 32; ++i) {
                const int r = (i % 4) / 2;
                e[i] = ex2(ffma(s[i], scale, -row_max[r] * scale));
                row_sum[r] += e[i];
            }
        }
        // ptxas hoists a wgmma wait as early as the registers allow, which would put this one
        // before the exponentials; a clock read it keeps (stored under a condition false at run
        // time) holds it here, as the flash3 kernel does (hold_next_wait_here).
        unsigned clock;
        asm volatile("mov.u32 %0, %%clock;" : "=r"(clock)::"memory");
        if (warpgroups < 0)
            asm volatile("st.shared.u32 [%0], %1;" ::"r"(base), "r"(clock) : "memory");
        asm volatile("wgmma.wait_group.sync.aligned 0;" ::: "memory");
        if constexpr (Sync) {
            mbar_arrive(v_empty, warp_leader);
            // The next iteration's K and V, "loaded": their barriers complete now.
            mbar_arrive(k_full, leader);
            mbar_arrive(v_full, leader);
        }
        if constexpr (Rescale) {
#pragma unroll
            for (int i = 0; i < 32; ++i) o[i] *= correction[(i % 4) / 2];
        }
#pragma unroll
        for (int j = 0; j < 16; ++j) p[j] = pack_bf16x2(e[2 * j + 1], e[2 * j]);
    }
    const long long stop = clock64();
    if (threadIdx.x % 128 == 0) cycles[blockIdx.x * warpgroups + wg] = stop - start;
    float all = row_sum[0] + row_sum[1];
    for (float x : o) all += x;
    if (all == 1.2345f) sink[0] = all;
#else
    if (warpgroups < 0) sink[0] = float(Level + Rescale + Tree + Sync) + float(cycles[0]);
#endif
}

}  // namespace

int main() {
    const TurnRun run(2);
    const auto kernels = {fa3_iteration<0, false>,       fa3_iteration<1, false>,
                          fa3_iteration<1, false, true>, fa3_iteration<2, false>,
                          fa3_iteration<2, true>,        fa3_iteration<2, true, false, true>};
    for (auto kernel : kernels) TurnRun::allow_smem(kernel);
    std::printf(
        "flash3 forward's iteration bare (64 rows a warpgroup, 64 keys, d 64); cycles per "
        "iteration per warpgroup (median over %d SMs)\n",
        run.sms);
    std::printf(
        "warpgroups  GEMMs+pack    +row max  (as a tree)  +exp2,sums  +O rescaled   +mbarriers\n");
    for (int w = 1; w <= 2; ++w) {
        std::printf("%10d", w);
        for (auto kernel : kernels)
            std::printf("  %10.1f", run.median_cycles_per_iteration(kernel, w, k_iterations));
        std::printf("\n");
    }
    return 0;
}
