#pragma once
// The m64n128k16 bf16 wgmma (sm_90a) the microbenchmarks issue, in its two operand forms: A from
// registers ("RS", FlashAttention-3's P V) or from shared memory ("SS", its Q K^T); B always from
// shared memory. Operands are zero and unswizzled: the rate, not the result, is measured.
#include <cuda_runtime.h>

namespace flashscope::ceilings {

#if defined(__CUDA_ARCH__) && defined(__CUDA_ARCH_FEAT_SM90_ALL)
#define CEILINGS_HAVE_WGMMA 1
#endif

// A shared-memory matrix descriptor without swizzling: start address, leading and stride byte
// offsets (each in 16-byte units). A 16 x 128 bf16 operand (4 KiB) lies inside 8 KiB from there.
__device__ __forceinline__ unsigned long long smem_descriptor(unsigned address) {
    const unsigned long long leading = 128 >> 4, stride = 256 >> 4;
    return ((address & 0x3FFFFu) >> 4) | (leading << 16) | (stride << 32);
}

#ifdef CEILINGS_HAVE_WGMMA
// Fills the CTA's first `words` 32-bit words of shared memory with word(i) and fences them for
// the async proxy (wgmma and TMA read shared memory through it): their shared-memory address.
template <class Word>
__device__ __forceinline__ unsigned fill_for_async_proxy(unsigned char* smem, unsigned words,
                                                         Word word) {
    for (unsigned i = threadIdx.x; i < words; i += blockDim.x)
        reinterpret_cast<unsigned*>(smem)[i] = word(i);
    asm volatile("fence.proxy.async.shared::cta;" ::: "memory");
    return static_cast<unsigned>(__cvta_generic_to_shared(smem));
}

// The 64 fp32 accumulator registers per thread of an m64n128 wgmma: the operands %0..%63.
#define CEILINGS_WGMMA_D_REGS                                                               \
    "%0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11, %12, %13, %14, %15, %16, %17, %18, " \
    "%19, %20, %21, %22, %23, %24, %25, %26, %27, %28, %29, %30, %31, %32, %33, %34, %35, " \
    "%36, %37, %38, %39, %40, %41, %42, %43, %44, %45, %46, %47, %48, %49, %50, %51, %52, " \
    "%53, %54, %55, %56, %57, %58, %59, %60, %61, %62, %63 "
#define CEILINGS_WGMMA_D_OPERANDS(d)                                                               \
    "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3]), "+f"(d[4]), "+f"(d[5]), "+f"(d[6]),            \
        "+f"(d[7]), "+f"(d[8]), "+f"(d[9]), "+f"(d[10]), "+f"(d[11]), "+f"(d[12]), "+f"(d[13]),    \
        "+f"(d[14]), "+f"(d[15]), "+f"(d[16]), "+f"(d[17]), "+f"(d[18]), "+f"(d[19]), "+f"(d[20]), \
        "+f"(d[21]), "+f"(d[22]), "+f"(d[23]), "+f"(d[24]), "+f"(d[25]), "+f"(d[26]), "+f"(d[27]), \
        "+f"(d[28]), "+f"(d[29]), "+f"(d[30]), "+f"(d[31]), "+f"(d[32]), "+f"(d[33]), "+f"(d[34]), \
        "+f"(d[35]), "+f"(d[36]), "+f"(d[37]), "+f"(d[38]), "+f"(d[39]), "+f"(d[40]), "+f"(d[41]), \
        "+f"(d[42]), "+f"(d[43]), "+f"(d[44]), "+f"(d[45]), "+f"(d[46]), "+f"(d[47]), "+f"(d[48]), \
        "+f"(d[49]), "+f"(d[50]), "+f"(d[51]), "+f"(d[52]), "+f"(d[53]), "+f"(d[54]), "+f"(d[55]), \
        "+f"(d[56]), "+f"(d[57]), "+f"(d[58]), "+f"(d[59]), "+f"(d[60]), "+f"(d[61]), "+f"(d[62]), \
        "+f"(d[63])

// d (+)= A B, A from four registers per thread.
__device__ __forceinline__ void wgmma_rs(float (&d)[64], const unsigned (&a)[4],
                                         unsigned long long b_desc, int accumulate) {
    asm volatile(
        "{\n.reg .pred p;\nsetp.ne.b32 p, %69, 0;\n"
        "wgmma.mma_async.sync.aligned.m64n128k16.f32.bf16.bf16 {" CEILINGS_WGMMA_D_REGS
        "}, {%64, %65, %66, %67}, %68, p, 1, 1, 0;\n}\n"
        : CEILINGS_WGMMA_D_OPERANDS(d)
        : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "l"(b_desc), "r"(accumulate));
}

// d (+)= A B, A from shared memory too.
__device__ __forceinline__ void wgmma_ss(float (&d)[64], unsigned long long a_desc,
                                         unsigned long long b_desc, int accumulate) {
    asm volatile(
        "{\n.reg .pred p;\nsetp.ne.b32 p, %66, 0;\n"
        "wgmma.mma_async.sync.aligned.m64n128k16.f32.bf16.bf16 {" CEILINGS_WGMMA_D_REGS
        "}, %64, %65, p, 1, 1, 0, 0;\n}\n"
        : CEILINGS_WGMMA_D_OPERANDS(d)
        : "l"(a_desc), "l"(b_desc), "r"(accumulate));
}

__device__ __forceinline__ void wgmma_fence() {
    asm volatile("wgmma.fence.sync.aligned;" ::: "memory");
}
__device__ __forceinline__ void wgmma_commit_and_wait() {
    asm volatile("wgmma.commit_group.sync.aligned;" ::: "memory");
    asm volatile("wgmma.wait_group.sync.aligned 0;" ::: "memory");
}
#endif

}  // namespace flashscope::ceilings
