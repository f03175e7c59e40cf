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

// Two bf16 in [-1, 1) from a hash of (i, seed); seed 0 gives zeros.
__device__ unsigned operand_pair(unsigned i, unsigned seed) {
    if (seed == 0) return 0;
    unsigned h = (i + 1) * 0x9e3779b9u ^ seed * 0x85ebca6bu;
    h ^= h >> 15;
    h *= 0x2c1b3c6du;
    h ^= h >> 13;
    const auto bf16 = [](unsigned bits) {  // 12 random bits -> a float in [-1, 1) -> bf16 bits
        return __float_as_uint(float(bits & 0xFFFu) * (2.0f / 4096.0f) - 1.0f) >> 16;
    };
    return bf16(h) | (bf16(h >> 12) << 16);
}

// `Chain` wgmma on one accumulator per commit group, then wait for the group: with a chain of 8 and
// two warpgroups the tensor pipe never starves (the rate); with a chain of 1 and one warpgroup
// every wgmma waits for the one before (issue to result: the latency). Operands are zero, or with
// a nonzero `seed` random (the tensor cores draw more power on random data, which may lower the
// clock).
template <int Chain>
__global__ void wgmma_loop(int iters, int accumulate, unsigned seed, unsigned* sink,
                           long long* cycles) {
#ifdef CEILINGS_HAVE_WGMMA
    extern __shared__ __align__(128) unsigned char smem[];
    const unsigned long long desc = smem_descriptor(
        fill_for_async_proxy(smem, 8192 / 4, [&](unsigned i) { return operand_pair(i, seed); }));
    const unsigned a[4] = {
        operand_pair(8192 + 4 * threadIdx.x, seed), operand_pair(8193 + 4 * threadIdx.x, seed),
        operand_pair(8194 + 4 * threadIdx.x, seed), operand_pair(8195 + 4 * threadIdx.x, seed)};
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
    if (iters < 0) sink[0] = cycles && accumulate && seed ? 1 : 0;
#endif
}

}  // namespace

double wgmma_flops_per_clk(int runs) {
    const int iters = 1024;
    const double flops = k_wgmma_flops * k_wgmma_chain * iters * k_wgmma_warpgroups;
    return detail::per_sm_rate(wgmma_loop<k_wgmma_chain>, 128 * k_wgmma_warpgroups, flops, runs,
                               iters, 1, 0u);
}

double wgmma_latency(int runs) {
    const int iters = 1024;
    const auto kernel = wgmma_loop<1>;
    constexpr int k_smem = 8192;  // the zeroed B operand, as in the rate kernel
    detail::DeviceBuffer<unsigned> sink(1);
    detail::DeviceBuffer<long long> cycles(1);
    auto launch = [&] {
        kernel<<<1, 128, k_smem>>>(iters, 1, 0u, sink.get(), cycles.get());
        CEILINGS_CHECK(cudaGetLastError());
        CEILINGS_CHECK(cudaDeviceSynchronize());
    };
    launch();
    return detail::median_of(runs, [&] {
        launch();
        return double(cycles.to_host()[0]) / iters;
    });
}

double sm_clock_hz_under_wgmma(int runs, bool random_operands) {
    const unsigned seed = random_operands ? 0x1234567u : 0u;
    const int sms = detail::device_sm_count(), iters = 50000;
    const auto kernel = wgmma_loop<k_wgmma_chain>;
    const int smem = detail::one_cta_per_sm_smem(kernel);
    detail::DeviceBuffer<unsigned> sink{std::size_t(sms)};
    detail::DeviceBuffer<long long> cycles{std::size_t(sms)};
    const int threads = 128 * k_wgmma_warpgroups;
    kernel<<<sms, threads, smem>>>(iters / 10, 1, seed, sink.get(), cycles.get());
    CEILINGS_CHECK(cudaGetLastError());
    CEILINGS_CHECK(cudaDeviceSynchronize());
    detail::Events events;
    return detail::median_of(runs, [&] {
        events.start();
        kernel<<<sms, threads, smem>>>(iters, 1, seed, sink.get(), cycles.get());
        CEILINGS_CHECK(cudaGetLastError());
        const double seconds = events.stop_seconds();
        return double(cycles.to_host()[0]) / seconds;
    });
}

}  // namespace flashscope::ceilings
