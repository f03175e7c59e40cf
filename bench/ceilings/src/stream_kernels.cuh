#pragma once
// Grid-stride streams of 16-byte accesses, with the store policy as a parameter: calibrate's HBM
// and L2 write and copy rates (memory.cu) and the write probe (scripts/probes/hbm_write.cu), which
// sets the default policy beside calibrate's.
#include <cuda_runtime.h>

namespace flashscope::ceilings::streams {

enum class Policy {
    streaming,  // ld/st.global.cs: evict first, no reuse (calibrate's HBM rates)
    l2,         // ld/st.global.cg: kept in L2, past L1 (the L2's own rates)
    plain,      // ld/st.global: the default policy, as kernels write
};

template <Policy kPolicy>
__device__ void store(uint4* at, uint4 v) {
    if constexpr (kPolicy == Policy::streaming)
        __stcs(at, v);
    else if constexpr (kPolicy == Policy::l2)
        __stcg(at, v);
    else
        *at = v;
}

template <Policy kPolicy>
__device__ uint4 load(const uint4* at) {
    if constexpr (kPolicy == Policy::streaming)
        return __ldcs(at);
    else if constexpr (kPolicy == Policy::l2)
        return __ldcg(at);
    else
        return *at;
}

// Every thread stores 16 B per store over the buffer, `repeats` passes.
template <Policy kPolicy>
__global__ void write(uint4* data, long long n, int repeats) {
    const long long stride = (long long)gridDim.x * blockDim.x;
    for (int r = 0; r < repeats; ++r)
        for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < n; i += stride)
            store<kPolicy>(data + i, make_uint4(unsigned(i), unsigned(r), 0u, 0u));
}

// Every thread reads 16 B of one buffer and stores it to another: reads and writes interleaved on
// the HBM channels, as in a kernel that streams as much out as in.
template <Policy kPolicy>
__global__ void copy(const uint4* in, uint4* out, long long n, int repeats) {
    const long long stride = (long long)gridDim.x * blockDim.x;
    for (int r = 0; r < repeats; ++r)
        for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < n; i += stride)
            store<kPolicy>(out + i, load<kPolicy>(in + i));
}

}  // namespace flashscope::ceilings::streams
