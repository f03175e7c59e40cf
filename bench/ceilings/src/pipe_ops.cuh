#pragma once
// One instruction each, written as inline PTX so that the compiler emits exactly the SASS
// instruction being measured (FFMA, MUFU.EX2, LOP3, F2FP, SHFL, LDSM, LDS.128, HMMA).
#include <cuda_runtime.h>

#include "flashscope/ceilings/microbenchmarks.hpp"

namespace flashscope::ceilings {

__device__ __forceinline__ float ffma(float x, float a, float b) {
    float d;
    asm volatile("fma.rn.f32 %0, %1, %2, %3;" : "=f"(d) : "f"(x), "f"(a), "f"(b));
    return d;
}

__device__ __forceinline__ float ex2(float x) {
    float d;
    asm volatile("ex2.approx.ftz.f32 %0, %1;" : "=f"(d) : "f"(x));
    return d;
}

template <int Lut>
__device__ __forceinline__ unsigned lop3(unsigned a, unsigned b, unsigned c) {
    unsigned d;
    asm volatile("lop3.b32 %0, %1, %2, %3, %4;" : "=r"(d) : "r"(a), "r"(b), "r"(c), "n"(Lut));
    return d;
}

__device__ __forceinline__ unsigned xor3(unsigned a, unsigned b, unsigned c) {
    return lop3<0x96>(a, b, c);
}

// Three dependent LOP3: each result feeds the next, and each is a function of all three words
// (xor3, majority, xor3), so no two of them fold into one.
__device__ __forceinline__ void lop3_round(unsigned (&v)[3]) {
    v[0] = lop3<0x96>(v[0], v[1], v[2]);
    v[1] = lop3<0xE8>(v[1], v[2], v[0]);
    v[2] = lop3<0x96>(v[2], v[0], v[1]);
}

// F32 -> packed BF16 pair (the P fragment's conversion in FlashAttention-2).
__device__ __forceinline__ unsigned pack_bf16x2(float hi, float lo) {
    unsigned d;
    asm volatile("cvt.rn.bf16x2.f32 %0, %1, %2;" : "=r"(d) : "f"(hi), "f"(lo));
    return d;
}

__device__ __forceinline__ unsigned shfl_bfly(unsigned x) {
    unsigned d;
    asm volatile("shfl.sync.bfly.b32 %0, %1, 1, 0x1f, 0xffffffff;" : "=r"(d) : "r"(x));
    return d;
}

__device__ __forceinline__ unsigned shared_address(const void* p) {
    return static_cast<unsigned>(__cvta_generic_to_shared(p));
}

__device__ __forceinline__ uint4 ldmatrix_x4(unsigned address) {
    uint4 r;
    asm volatile("ldmatrix.sync.aligned.m8n8.x4.shared.b16 {%0, %1, %2, %3}, [%4];"
                 : "=r"(r.x), "=r"(r.y), "=r"(r.z), "=r"(r.w)
                 : "r"(address));
    return r;
}

__device__ __forceinline__ uint4 lds128(unsigned address) {
    uint4 r;
    asm volatile("ld.shared.v4.u32 {%0, %1, %2, %3}, [%4];"
                 : "=r"(r.x), "=r"(r.y), "=r"(r.z), "=r"(r.w)
                 : "r"(address));
    return r;
}

// d = a * b + c with c = d: one accumulator chain of m16n8k16 (tf32: m16n8k8), f32 accumulate.
template <MmaType Type>
__device__ __forceinline__ void mma_step(float (&c)[4], const unsigned (&a)[4],
                                         const unsigned (&b)[2]) {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 800
    if constexpr (Type == MmaType::bf16) {
        asm volatile(
            "mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, "
            "{%8,%9}, {%0,%1,%2,%3};"
            : "+f"(c[0]), "+f"(c[1]), "+f"(c[2]), "+f"(c[3])
            : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b[0]), "r"(b[1]));
    } else if constexpr (Type == MmaType::fp16) {
        asm volatile(
            "mma.sync.aligned.m16n8k16.row.col.f32.f16.f16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, "
            "{%8,%9}, {%0,%1,%2,%3};"
            : "+f"(c[0]), "+f"(c[1]), "+f"(c[2]), "+f"(c[3])
            : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b[0]), "r"(b[1]));
    } else {
        asm volatile(
            "mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, "
            "{%8,%9}, {%0,%1,%2,%3};"
            : "+f"(c[0]), "+f"(c[1]), "+f"(c[2]), "+f"(c[3])
            : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b[0]), "r"(b[1]));
    }
#endif
}

}  // namespace flashscope::ceilings
