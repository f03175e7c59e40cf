// wgmma (sm_90a): the m64n128k16 bf16 rate per SM, A from registers and B from shared memory as
// FlashAttention-3 and cuDNN issue it (the rate mma.sync cannot reach on Hopper), and its latency:
// one warpgroup waiting for each wgmma before issuing the next. Built for sm_90a alone: other cards
// have no kernel image, and wgmma_flops_per_clk / wgmma_latency say so.
#include "cuda_check.cuh"
#include "flashscope/ceilings/microbenchmarks.hpp"
#include "wgmma_instr.cuh"

namespace flashscope::ceilings {

namespace {

constexpr int k_wgmma_chain = 8;       // wgmma per commit group, one accumulator
constexpr int k_wgmma_warpgroups = 2;  // per SM
constexpr double k_wgmma_flops = 2.0 * 64 * 128 * 16;

// `Chain` wgmma on one accumulator per commit group, then wait for the group: with a chain of 8 and
// two warpgroups the tensor pipe never starves (the rate); with a chain of 1 and one warpgroup
// every wgmma waits for the one before (issue to result: the latency).
template <int Chain>
__global__ void wgmma_loop(int iters, int accumulate, unsigned* sink, long long* cycles) {
#ifdef CEILINGS_HAVE_WGMMA
    extern __shared__ __align__(128) unsigned char smem[];
    for (unsigned i = threadIdx.x; i < 8192 / 4; i += blockDim.x)
        reinterpret_cast<unsigned*>(smem)[i] = 0;
    asm volatile("fence.proxy.async.shared::cta;" ::: "memory");
    const unsigned long long desc =
        smem_descriptor(static_cast<unsigned>(__cvta_generic_to_shared(smem)));
    const unsigned a[4] = {0, 0, 0, 0};
    float d[64] = {};
    CEILINGS_START();
    for (int it = 0; it < iters; ++it) {
        wgmma_fence();
#pragma unroll
        for (int k = 0; k < Chain; ++k) {
            wgmma_rs(d, a, desc, accumulate);
        }
        wgmma_commit_and_wait();
    }
    CEILINGS_STOP(cycles);
    float s = 0;
#pragma unroll
    for (int i = 0; i < 64; ++i) s += d[i];
    if (s == 1.25f) sink[blockIdx.x] = 1;
#else
    if (iters < 0) sink[0] = cycles && accumulate ? 1 : 0;
#endif
}

}  // namespace

double wgmma_flops_per_clk(int runs) {
    const int iters = 1024;
    const double flops = k_wgmma_flops * k_wgmma_chain * iters * k_wgmma_warpgroups;
    return detail::per_sm_rate(wgmma_loop<k_wgmma_chain>, 128 * k_wgmma_warpgroups, flops, runs,
                               iters, 1);
}

double wgmma_latency(int runs) {
    const int iters = 1024;
    const auto kernel = wgmma_loop<1>;
    constexpr int k_smem = 8192;  // the zeroed B operand, as in the rate kernel
    detail::DeviceBuffer<unsigned> sink(1);
    detail::DeviceBuffer<long long> cycles(1);
    auto launch = [&] {
        kernel<<<1, 128, k_smem>>>(iters, 1, sink.get(), cycles.get());
        CEILINGS_CHECK(cudaGetLastError());
        CEILINGS_CHECK(cudaDeviceSynchronize());
    };
    launch();
    return detail::median_of(runs, [&] {
        launch();
        return double(cycles.to_host()[0]) / iters;
    });
}

double sm_clock_hz_under_wgmma(int runs) {
    const int sms = detail::device_sm_count(), iters = 50000;
    const auto kernel = wgmma_loop<k_wgmma_chain>;
    const int smem = detail::one_cta_per_sm_smem(kernel);
    detail::DeviceBuffer<unsigned> sink{std::size_t(sms)};
    detail::DeviceBuffer<long long> cycles{std::size_t(sms)};
    const int threads = 128 * k_wgmma_warpgroups;
    kernel<<<sms, threads, smem>>>(iters / 10, 1, sink.get(), cycles.get());
    CEILINGS_CHECK(cudaGetLastError());
    CEILINGS_CHECK(cudaDeviceSynchronize());
    detail::Events events;
    return detail::median_of(runs, [&] {
        events.start();
        kernel<<<sms, threads, smem>>>(iters, 1, sink.get(), cycles.get());
        CEILINGS_CHECK(cudaGetLastError());
        const double seconds = events.stop_seconds();
        return double(cycles.to_host()[0]) / seconds;
    });
}

}  // namespace flashscope::ceilings
