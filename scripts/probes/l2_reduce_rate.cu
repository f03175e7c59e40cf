// How fast does the whole L2 add what every SM sends it? FlashAttention-2's backward adds dQ with
// red.global.add of float2 from registers; FlashAttention-3's with TMA's bulk reduce-add
// (cp.reduce.async.bulk .add.f32) of tiles staged in shared memory. calibrate measures the first
// kind's chip-wide rate with scalar fp32 reductions and the bulk kind through one SM's port only.
// Here each kind runs from every SM into an L2-resident 16 MiB buffer (zeroed once, the run
// before warms it), timed as `flashscope validate` times kernels (held CUDA events); the rate is
// the slope between a short and a long run (so launch and ramp cancel). Bulk reductions two ways:
// each CTA into its own blocks, and every CTA into the same block at once (FlashAttention-3's
// CTAs of one head walk the Q blocks in the same order). Built and run by
// scripts/l2-reduce-rate-probe.sh.
#include <cuda_runtime.h>

#include <cstdio>

#include "held_timer.cuh"

namespace {

constexpr unsigned k_floats = 1u << 22;  // 16 MiB: stays in the L2
constexpr int k_block_bytes = 32768;     // a bulk reduction: FlashAttention-3's dQ tile size

// `passes` of red.global.add over the buffer, grid-stride, `Width` floats a thread each.
template <int Width>
__global__ void red_kernel(float* buffer, int passes) {
    const unsigned stride = gridDim.x * blockDim.x;
    for (int p = 0; p < passes; ++p)
        for (unsigned i = blockIdx.x * blockDim.x + threadIdx.x; i < k_floats / Width;
             i += stride) {
            if constexpr (Width == 2)
                atomicAdd(reinterpret_cast<float2*>(buffer) + i, make_float2(1.f, 1.f));
            else
                atomicAdd(buffer + i, 1.f);
        }
}

// Thread 0 of each CTA issues `iters` bulk reduce-adds of 32 KiB from shared memory, each its own
// bulk group, waiting only at the end. `same`: every CTA adds to the same block at the same
// iteration; else CTA b walks its own.
__global__ void bulk_kernel(float* buffer, int iters, bool same) {
    extern __shared__ __align__(128) float tile[];
    for (int i = threadIdx.x; i < k_block_bytes / 4; i += blockDim.x) tile[i] = 1.f;
    asm volatile("fence.proxy.async.shared::cta;" ::: "memory");
    __syncthreads();
    if (threadIdx.x != 0) return;
    const unsigned src = static_cast<unsigned>(__cvta_generic_to_shared(tile));
    const unsigned step = k_block_bytes / 4;
    for (int it = 0; it < iters; ++it) {
        const unsigned block = same ? unsigned(it) : blockIdx.x * unsigned(iters) + unsigned(it);
        float* dst = buffer + ((block * step) & (k_floats - 1));
        asm volatile(
            "cp.reduce.async.bulk.global.shared::cta.bulk_group.add.f32 [%0], [%1], %2;" ::"l"(dst),
            "r"(src), "r"(k_block_bytes)
            : "memory");
        asm volatile("cp.async.bulk.commit_group;" ::: "memory");
    }
    asm volatile("cp.async.bulk.wait_group 0;" ::: "memory");
}

}  // namespace

int main() {
    int sms = 0;
    CHECK(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, 0));
    int clock_khz = 0;
    CHECK(cudaDeviceGetAttribute(&clock_khz, cudaDevAttrClockRate, 0));
    float* buffer = nullptr;
    CHECK(cudaMalloc(&buffer, std::size_t(k_floats) * 4));
    CHECK(cudaMemset(buffer, 0, std::size_t(k_floats) * 4));
    CHECK(cudaFuncSetAttribute(bulk_kernel, cudaFuncAttributeMaxDynamicSharedMemorySize,
                               k_block_bytes));
    HeldTimer t;
    // Bytes added per second between a run of `small` and one of `large` units of work.
    const auto slope = [&](auto launch, double bytes_per_unit, int small, int large) {
        const double a = t.us([&] { launch(small); }, [&] { launch(small); });
        const double b = t.us([&] { launch(large); }, [&] { launch(large); });
        std::printf("  %6d units %9.2f us, %6d units %9.2f us", small, a, large, b);
        return bytes_per_unit * (large - small) / ((b - a) * 1e-6);
    };
    const auto report = [&](const char* what, double bytes_per_s) {
        std::printf("  -> %7.0f GB/s  (%6.0f B/clk at the %d MHz boost clock)  %s\n",
                    bytes_per_s / 1e9, bytes_per_s / (clock_khz * 1e3), clock_khz / 1000, what);
    };
    const double buffer_bytes = double(k_floats) * 4;
    std::printf("L2 reduction rates, %d SMs, 16 MiB L2-resident buffer\n", sms);
    for (int ctas_per_sm : {4, 8}) {
        const int grid = ctas_per_sm * sms;
        std::printf("red.global.add.f32, %d CTAs x 256 threads per SM:", ctas_per_sm);
        report("scalar fp32 (calibrate's l2_atomic_bytes_per_clk)",
               slope([&](int p) { red_kernel<1><<<grid, 256>>>(buffer, p); }, buffer_bytes, 2, 10));
        std::printf("red.global.add.v2.f32, %d CTAs x 256 threads per SM:", ctas_per_sm);
        report("float2 (FlashAttention-2's dQ)",
               slope([&](int p) { red_kernel<2><<<grid, 256>>>(buffer, p); }, buffer_bytes, 2, 10));
    }
    for (int ctas_per_sm : {1, 2, 4}) {
        const int grid = ctas_per_sm * sms;
        for (bool same : {false, true}) {
            std::printf("cp.reduce.async.bulk 32 KiB, %d CTA(s) per SM, %s:", ctas_per_sm,
                        same ? "all CTAs on one block" : "each CTA its own blocks");
            report(same ? "bulk, contended (FlashAttention-3's dQ order)" : "bulk, distinct",
                   slope(
                       [&](int iters) {
                           bulk_kernel<<<grid, 128, k_block_bytes>>>(buffer, iters, same);
                       },
                       double(grid) * k_block_bytes, 16, 80));
        }
    }
    CHECK(cudaGetLastError());
    CHECK(cudaDeviceSynchronize());
    return 0;
}
