#pragma once
// What the turn-taking probes share (scripts/probes/ping_pong.cu, fa3_iteration.cu): named
// barriers for the turns and the m64n64k16 wgmma forms that bench/ceilings' wgmma_instr.cuh
// (m64n128k16) does not have. sm_90a only.
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
