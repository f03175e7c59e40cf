#pragma once
// What the overlap benchmarks share (wgmma_overlap.cu, mma_overlap.cu): the "other part" run beside
// a tensor load (independent chains of one softmax instruction) and the launcher that times each
// part of a kernel by itself.
#include <vector>

#include "cuda_check.cuh"
#include "flashscope/ceilings/microbenchmarks.hpp"
#include "pipe_ops.cuh"

namespace flashscope::ceilings::overlap {

inline constexpr int k_other_chains = 8;  // independent chains per thread
inline constexpr int k_other_unroll = 8;  // chain steps per loop trip: 64 instructions a trip

__device__ __forceinline__ float fadd(float x, float y) {
    float d;
    asm volatile("add.rn.f32 %0, %1, %2;" : "=f"(d) : "f"(x), "f"(y));
    return d;
}

// 8 independent chains of one instruction per thread (`Op`), `iters` x 8 steps each.
template <BesideOp Op>
__device__ __forceinline__ float other_part(int iters) {
    float x[k_other_chains];
    unsigned u[k_other_chains];
#pragma unroll
    for (int k = 0; k < k_other_chains; ++k) {
        x[k] = -1.0f - float(k);
        u[k] = threadIdx.x * 2654435761u + unsigned(k);
    }
    for (int it = 0; it < iters; ++it) {
#pragma unroll
        for (int step = 0; step < k_other_unroll; ++step)
#pragma unroll
            for (int k = 0; k < k_other_chains; ++k) {
                if constexpr (Op == BesideOp::ex2) x[k] = ex2(x[k]);
                if constexpr (Op == BesideOp::ffma) x[k] = ffma(x[k], 0.999f, 1e-3f);
                if constexpr (Op == BesideOp::fadd) x[k] = fadd(x[k], 1e-3f);
                if constexpr (Op == BesideOp::lop3) u[k] = xor3(u[k], 0x9e3779b9u, unsigned(step));
            }
    }
    float s = 0;
#pragma unroll
    for (int k = 0; k < k_other_chains; ++k) s += x[k] + float(u[k]);
    return s;
}

// Each part's cycles (a kernel writes cycles[2 * cta + part], part 0 the tensor load, 1 the other).
struct PartCycles {
    double tensor = 0, other = 0;
};

// One CTA on every SM (shared memory sized so that only one fits); per part, the median over SMs,
// then the median of `runs` launches after a warm-up.
template <class... Params, class... Args>
PartCycles part_cycles(void (*kernel)(Params...), int threads, int runs, Args... args) {
    const int sms = detail::device_sm_count();
    const int smem = detail::one_cta_per_sm_smem(kernel);
    detail::DeviceBuffer<unsigned> sink{std::size_t(sms)};
    detail::DeviceBuffer<long long> cycles{std::size_t(2 * sms)};
    const auto launch = [&] {
        kernel<<<sms, threads, smem>>>(args..., sink.get(), cycles.get());
        CEILINGS_CHECK(cudaGetLastError());
        CEILINGS_CHECK(cudaDeviceSynchronize());
        const std::vector<long long> c = cycles.to_host();
        std::vector<double> tensor, other;
        for (int i = 0; i < sms; ++i) {
            tensor.push_back(double(c[std::size_t(2 * i)]));
            other.push_back(double(c[std::size_t(2 * i + 1)]));
        }
        return PartCycles{detail::median(tensor), detail::median(other)};
    };
    launch();
    PartCycles r;
    r.tensor = detail::median_of(runs, [&] { return launch().tensor; });
    r.other = detail::median_of(runs, [&] { return launch().other; });
    return r;
}

// The tensor part alone, the other part alone, both at once (three instances of one kernel
// template, each launched as (tensor_iters or 0, other_iters or 0)): the overlap of the two parts.
template <class Kernel>
PipeOverlap measure_overlap(Kernel tensor_alone, Kernel other_alone, Kernel both, int threads,
                            int runs, int tensor_iters, int other_iters) {
    const PartCycles tensor = part_cycles(tensor_alone, threads, runs, tensor_iters, 0);
    const PartCycles other = part_cycles(other_alone, threads, runs, 0, other_iters);
    const PartCycles together = part_cycles(both, threads, runs, tensor_iters, other_iters);
    PipeOverlap r;
    r.tensor_alone = tensor.tensor;
    r.other_alone = other.other;
    r.together = together.tensor > together.other ? together.tensor : together.other;
    r.tensor_together = together.tensor;
    r.other_together = together.other;
    return r;
}

// Records the time from the common start to the end of this warp's part; after the CTA's
// barrier, threads 0 and 1 write the parts' latest ends.
#define CEILINGS_PART_END(part_end, part, t0)                                                    \
    do {                                                                                         \
        const long long ceilings_end_ = clock64();                                               \
        if (threadIdx.x % 32 == 0)                                                               \
            atomicMax(&(part_end)[part], static_cast<unsigned long long>(ceilings_end_ - (t0))); \
        __syncthreads();                                                                         \
        if (threadIdx.x < 2)                                                                     \
            cycles[2 * blockIdx.x + threadIdx.x] =                                               \
                static_cast<long long>((part_end)[threadIdx.x]);                                 \
    } while (0)

}  // namespace flashscope::ceilings::overlap
