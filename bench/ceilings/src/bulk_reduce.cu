// TMA's bulk reduce-add (cp.reduce.async.bulk ... .add.f32, sm_90): FlashAttention-3's backward
// adds each block's dQ (block_m x head_dim fp32, staged in shared memory) to the global
// accumulator with one. Its rate through one SM's port to the L2, measured like the port's other
// rates (memory.cu): one CTA on each of a quarter of the SMs, into an L2-resident buffer. Built
// for sm_90a with the wgmma benchmarks: other cards have no kernel image.
#include "cuda_check.cuh"
#include "flashscope/ceilings/microbenchmarks.hpp"
#include "wgmma_instr.cuh"

namespace flashscope::ceilings {

namespace {

// Thread 0 issues `iters` bulk reductions of `bytes` from shared memory to successive places of
// the buffer (`floats` of them, a power of two), each its own bulk group; with `wait_each` it waits
// for each to complete before the next (FlashAttention-3 reuses its dQ staging buffer so), else
// only at the end.
template <bool WaitEach>
__global__ void bulk_reduce_loop(float* buffer, unsigned floats, int iters, int bytes,
                                 unsigned* sink, long long* cycles) {
#ifdef CEILINGS_HAVE_WGMMA
    extern __shared__ __align__(128) unsigned char smem[];
    const unsigned source = fill_for_async_proxy(smem, unsigned(bytes) / 4,
                                                 [](unsigned) { return __float_as_uint(1.0f); });
    CEILINGS_START();
    if (threadIdx.x == 0) {
        const unsigned step = unsigned(bytes) / 4;
        for (int it = 0; it < iters; ++it) {
            const unsigned at =
                ((blockIdx.x * unsigned(iters) + unsigned(it)) * step) & (floats - 1);
            asm volatile(
                "cp.reduce.async.bulk.global.shared::cta.bulk_group.add.f32 [%0], [%1], %2;" ::"l"(
                    buffer + at),
                "r"(source), "r"(bytes)
                : "memory");
            asm volatile("cp.async.bulk.commit_group;" ::: "memory");
            if constexpr (WaitEach) asm volatile("cp.async.bulk.wait_group 0;" ::: "memory");
        }
        asm volatile("cp.async.bulk.wait_group 0;" ::: "memory");
    }
    CEILINGS_STOP(cycles);
#else
    if (iters < 0) sink[0] = buffer && floats && bytes && cycles ? 1 : 0;
#endif
}

}  // namespace

double bulk_reduce_bytes_per_clk(int ctas, bool wait_each, int runs) {
    constexpr int bytes = 32768, iters = 256, threads = 128;
    constexpr unsigned floats = 1u << 21;  // 8 MiB: stays in L2
    const auto kernel = wait_each ? bulk_reduce_loop<true> : bulk_reduce_loop<false>;
    const int smem = detail::one_cta_per_sm_smem(kernel);
    detail::DeviceBuffer<float> buffer{floats};
    detail::DeviceBuffer<unsigned> sink{std::size_t(ctas)};
    detail::DeviceBuffer<long long> cycles{std::size_t(ctas)};
    CEILINGS_CHECK(cudaMemset(buffer.get(), 0, std::size_t(floats) * sizeof(float)));
    auto launch = [&] {
        kernel<<<ctas, threads, smem>>>(buffer.get(), floats, iters, bytes, sink.get(),
                                        cycles.get());
        CEILINGS_CHECK(cudaGetLastError());
        CEILINGS_CHECK(cudaDeviceSynchronize());
    };
    launch();
    return detail::median_of(runs, [&] {
        launch();
        std::vector<double> per_cta;
        for (const long long c : cycles.to_host()) per_cta.push_back(double(c));
        return double(bytes) * iters / detail::median(per_cta);
    });
}

}  // namespace flashscope::ceilings
