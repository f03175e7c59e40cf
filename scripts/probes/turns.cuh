#pragma once
// What the wgmma probes share (scripts/probes/ping_pong.cu, fa3_iteration.cu,
// chain_beside_wgmma.cu, wgmma_beside_smem.cu): named barriers for the turns, the m64n64k16 wgmma
// forms that bench/ceilings' wgmma_instr.cuh (m64n128k16) does not have, and a stream of wgmma
// groups of each form. sm_90a only.
#include <algorithm>
#include <vector>

#include "probe_check.cuh"
#include "wgmma_instr.cuh"

namespace flashscope::ceilings {

#ifdef CEILINGS_HAVE_WGMMA
__device__ __forceinline__ void bar_sync(int id, int threads) {
    asm volatile("bar.sync %0, %1;" ::"r"(id), "r"(threads) : "memory");
}
__device__ __forceinline__ void bar_arrive(int id, int threads) {
    asm volatile("bar.arrive %0, %1;" ::"r"(id), "r"(threads) : "memory");
}
// d (+)= A B for m64n64k16, both operands in shared memory (FlashAttention-3's S = Q K^T with
// 64-key blocks): 32 accumulators per thread.
__device__ __forceinline__ void wgmma_ss_n64(float (&d)[32], unsigned long long a_desc,
                                             unsigned long long b_desc) {
    asm volatile(
        "{\n.reg .pred p;\nsetp.ne.b32 p, 1, 0;\n"
        "wgmma.mma_async.sync.aligned.m64n64k16.f32.bf16.bf16 {"
        "%0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11, %12, %13, %14, %15, %16, %17, %18, "
        "%19, %20, %21, %22, %23, %24, %25, %26, %27, %28, %29, %30, %31}, %32, %33, p, 1, 1, 0, "
        "0;\n}\n"
        : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3]), "+f"(d[4]), "+f"(d[5]), "+f"(d[6]),
          "+f"(d[7]), "+f"(d[8]), "+f"(d[9]), "+f"(d[10]), "+f"(d[11]), "+f"(d[12]), "+f"(d[13]),
          "+f"(d[14]), "+f"(d[15]), "+f"(d[16]), "+f"(d[17]), "+f"(d[18]), "+f"(d[19]), "+f"(d[20]),
          "+f"(d[21]), "+f"(d[22]), "+f"(d[23]), "+f"(d[24]), "+f"(d[25]), "+f"(d[26]), "+f"(d[27]),
          "+f"(d[28]), "+f"(d[29]), "+f"(d[30]), "+f"(d[31])
        : "l"(a_desc), "l"(b_desc));
}

// d (+)= A B for m64n64k16, A from four registers per thread (FlashAttention-3's O += P V with
// d = 64: P packed to bf16 pairs), B from shared memory.
__device__ __forceinline__ void wgmma_rs_n64(float (&d)[32], const unsigned* a,
                                             unsigned long long b_desc) {
    asm volatile(
        "{\n.reg .pred p;\nsetp.ne.b32 p, 1, 0;\n"
        "wgmma.mma_async.sync.aligned.m64n64k16.f32.bf16.bf16 {"
        "%0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11, %12, %13, %14, %15, %16, %17, %18, "
        "%19, %20, %21, %22, %23, %24, %25, %26, %27, %28, %29, %30, %31}, {%32, %33, %34, %35}, "
        "%36, p, 1, 1, 0;\n}\n"
        : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3]), "+f"(d[4]), "+f"(d[5]), "+f"(d[6]),
          "+f"(d[7]), "+f"(d[8]), "+f"(d[9]), "+f"(d[10]), "+f"(d[11]), "+f"(d[12]), "+f"(d[13]),
          "+f"(d[14]), "+f"(d[15]), "+f"(d[16]), "+f"(d[17]), "+f"(d[18]), "+f"(d[19]), "+f"(d[20]),
          "+f"(d[21]), "+f"(d[22]), "+f"(d[23]), "+f"(d[24]), "+f"(d[25]), "+f"(d[26]), "+f"(d[27]),
          "+f"(d[28]), "+f"(d[29]), "+f"(d[30]), "+f"(d[31])
        : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "l"(b_desc));
}

#endif

// The wgmma forms the beside-probes keep in flight (chain_beside_wgmma.cu, wgmma_beside_smem.cu):
// A from shared memory or registers, N 64 or 128. Their shared-memory operand reads per SM at
// the full rate: SS n64 4 KiB in 32 cycles (128 B/clk), RS n64 2 KiB (64), SS n128 6 KiB in 64
// cycles (96), RS n128 4 KiB (64).
enum class WgmmaForm : int { ss64, rs64, ss128, rs128 };
inline const char* form_name(WgmmaForm f) {
    switch (f) {
        case WgmmaForm::ss64:
            return "SS m64n64k16";
        case WgmmaForm::rs64:
            return "RS m64n64k16";
        case WgmmaForm::ss128:
            return "SS m64n128k16";
        case WgmmaForm::rs128:
            return "RS m64n128k16";
    }
    return "?";
}
__host__ __device__ constexpr int form_n(WgmmaForm f) {
    return f == WgmmaForm::ss64 || f == WgmmaForm::rs64 ? 64 : 128;
}

#ifdef CEILINGS_HAVE_WGMMA
// `groups` x 2 commit groups of 4 wgmma of `kForm`, two in flight, on two accumulators (a group
// reuses its registers only once the wait for the group after it has retired it); operands at
// `base` (A) and `base` + 8 KiB (B). Returns the accumulators' sum.
template <WgmmaForm kForm>
__device__ float run_wgmma_groups(unsigned base, int groups) {
    constexpr int n = form_n(kForm);
    const unsigned long long a = smem_descriptor(base), b = smem_descriptor(base + 8192);
    const unsigned ra[4] = {0u, 0u, 0u, 0u};
    float d0[n / 2] = {}, d1[n / 2] = {};
    const auto group = [&](float(&d)[n / 2]) {
        wgmma_fence();
#pragma unroll
        for (int k = 0; k < 4; ++k) {
            if constexpr (kForm == WgmmaForm::ss64) wgmma_ss_n64(d, a, b);
            if constexpr (kForm == WgmmaForm::rs64) wgmma_rs_n64(d, ra, b);
            if constexpr (kForm == WgmmaForm::ss128) wgmma_ss(d, a, b, 1);
            if constexpr (kForm == WgmmaForm::rs128) wgmma_rs(d, ra, b, 1);
        }
        asm volatile("wgmma.commit_group.sync.aligned;" ::: "memory");
        asm volatile("wgmma.wait_group.sync.aligned 1;" ::: "memory");
    };
    for (int g = 0; g < groups; ++g) {
        group(d0);
        group(d1);
    }
    asm volatile("wgmma.wait_group.sync.aligned 0;" ::: "memory");
    float s = 0;
    for (int i = 0; i < n / 2; ++i) s += d0[i] + d1[i];
    return s;
}
#endif

// Host side: one CTA of `warpgroups` x 128 threads per SM, each warpgroup's thread 0 writing its
// clock64 cycles to `cycles`; `median_cycles_per_iteration` runs a kernel(warpgroups, cycles,
// sink) and returns the median over the SMs' warpgroups of its cycles over `iterations`.
struct TurnRun {
    static constexpr int smem = 160 * 1024;  // one CTA per SM
    int sms = 0;
    long long* cycles = nullptr;
    float* sink = nullptr;

    explicit TurnRun(int max_warpgroups) {
        CHECK(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, 0));
        CHECK(cudaMalloc(&cycles, sizeof(long long) * sms * max_warpgroups));
        CHECK(cudaMalloc(&sink, 4));
    }
    template <class Kernel>
    static void allow_smem(Kernel kernel) {
        CHECK(cudaFuncSetAttribute(kernel, cudaFuncAttributeMaxDynamicSharedMemorySize, smem));
    }
    template <class Kernel>
    double median_cycles_per_iteration(Kernel kernel, int warpgroups, int iterations) const {
        kernel<<<sms, 128 * warpgroups, smem>>>(warpgroups, cycles, sink);
        CHECK(cudaGetLastError());
        CHECK(cudaDeviceSynchronize());
        std::vector<long long> c(static_cast<std::size_t>(sms * warpgroups));
        CHECK(cudaMemcpy(c.data(), cycles, c.size() * sizeof(long long), cudaMemcpyDeviceToHost));
        std::sort(c.begin(), c.end());
        return double(c[c.size() / 2]) / iterations;
    }
};

}  // namespace flashscope::ceilings
