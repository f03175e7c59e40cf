#pragma once
// Row reductions over the 4 lanes of a quad (the lanes holding one accumulator row) and the
// causal / length mask shared by every tiled kernel.
#include <cstdint>

namespace flashscope::kernels::device {

inline constexpr float k_log2e = 1.4426950408889634f;
inline constexpr float k_ln2 = 0.6931471805599453f;

// 2^x with the SFU's approximate instruction (flushes denormals; ~2 ulp), without exp2f's extra
// range handling: exp is a quarter of the tensor-core time at d = 128.
__device__ __forceinline__ float fast_exp2(float x) {
    float y;
    asm("ex2.approx.ftz.f32 %0, %1;" : "=f"(y) : "f"(x));
    return y;
}

__device__ __forceinline__ float quad_max(float x) {
    x = fmaxf(x, __shfl_xor_sync(0xffffffffu, x, 1));
    return fmaxf(x, __shfl_xor_sync(0xffffffffu, x, 2));
}

__device__ __forceinline__ float quad_sum(float x) {
    x += __shfl_xor_sync(0xffffffffu, x, 1);
    return x + __shfl_xor_sync(0xffffffffu, x, 2);
}

// True when key `col` is hidden from query `row`: past the keys, or in the causal future with
// bottom-right alignment (query i sees keys j <= i + seq_k - seq_q).
__device__ __forceinline__ bool is_masked(std::int64_t row, std::int64_t col, std::int64_t seq_k,
                                          std::int64_t causal_offset, bool causal) {
    return col >= seq_k || (causal && col > row + causal_offset);
}

}  // namespace flashscope::kernels::device
