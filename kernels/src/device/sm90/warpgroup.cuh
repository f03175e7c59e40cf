#pragma once
// Warpgroups (4 consecutive warps, 128 threads, the unit that issues wgmma) and register
// reallocation between them (setmaxnreg, sm_90a). setmaxnreg takes effect only when the kernel has
// a register cap at entry (__launch_bounds__(threads, 1)) and every warp of a warpgroup runs the
// same one; the producer gives registers up so that the consumers can hold their accumulators.
#include <cstdint>

namespace flashscope::kernels::device::sm90 {

inline constexpr int k_warpgroup_threads = 128;

template <int kRegisters>
__device__ __forceinline__ void release_registers() {
    asm volatile("setmaxnreg.dec.sync.aligned.u32 %0;\n" ::"n"(kRegisters));
}

template <int kRegisters>
__device__ __forceinline__ void claim_registers() {
    asm volatile("setmaxnreg.inc.sync.aligned.u32 %0;\n" ::"n"(kRegisters));
}

// The same value in every thread of a warp, known to the compiler to be uniform.
__device__ __forceinline__ int warp_uniform(int value) {
    return __shfl_sync(0xffffffffu, value, 0);
}

}  // namespace flashscope::kernels::device::sm90
