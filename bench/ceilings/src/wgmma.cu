// wgmma (sm_90a): the m64n128k16 bf16 rate per SM, A from registers and B from shared memory as
// FlashAttention-3 and cuDNN issue it (the rate mma.sync cannot reach on Hopper), and its latency:
// one warpgroup waiting for each wgmma before issuing the next. Built for sm_90a alone: other cards
// have no kernel image, and wgmma_flops_per_clk / wgmma_latency say so.
#include "cuda_check.cuh"
#include "flashscope/ceilings/microbenchmarks.hpp"

namespace flashscope::ceilings {

namespace {

constexpr int k_wgmma_chain = 8;       // wgmma per commit group, one accumulator
constexpr int k_wgmma_warpgroups = 2;  // per SM
constexpr double k_wgmma_flops = 2.0 * 64 * 128 * 16;

#if defined(__CUDA_ARCH__) && defined(__CUDA_ARCH_FEAT_SM90_ALL)
#define CEILINGS_HAVE_WGMMA 1
#endif

// A shared-memory matrix descriptor without swizzling: start address, leading and stride byte
// offsets (each in 16-byte units). B's 16 x 128 bf16 (4 KiB) lies inside the zeroed 8 KiB.
__device__ unsigned long long smem_descriptor(unsigned address) {
    const unsigned long long leading = 128 >> 4, stride = 256 >> 4;
    return ((address & 0x3FFFFu) >> 4) | (leading << 16) | (stride << 32);
}

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
        asm volatile("wgmma.fence.sync.aligned;" ::: "memory");
#pragma unroll
        for (int k = 0; k < Chain; ++k) {
            asm volatile(
                "{\n.reg .pred p;\nsetp.ne.b32 p, %69, 0;\n"
                "wgmma.mma_async.sync.aligned.m64n128k16.f32.bf16.bf16 "
                "{%0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11, %12, %13, %14, %15, %16, %17, "
                "%18, %19, %20, %21, %22, %23, %24, %25, %26, %27, %28, %29, %30, %31, %32, %33, "
                "%34, %35, %36, %37, %38, %39, %40, %41, %42, %43, %44, %45, %46, %47, %48, %49, "
                "%50, %51, %52, %53, %54, %55, %56, %57, %58, %59, %60, %61, %62, %63}, {%64, %65, "
                "%66, %67}, %68, p, 1, 1, 0;\n}\n"
                : "+f"(d[0]), "+f"(d[1]), "+f"(d[2]), "+f"(d[3]), "+f"(d[4]), "+f"(d[5]),
                  "+f"(d[6]), "+f"(d[7]), "+f"(d[8]), "+f"(d[9]), "+f"(d[10]), "+f"(d[11]),
                  "+f"(d[12]), "+f"(d[13]), "+f"(d[14]), "+f"(d[15]), "+f"(d[16]), "+f"(d[17]),
                  "+f"(d[18]), "+f"(d[19]), "+f"(d[20]), "+f"(d[21]), "+f"(d[22]), "+f"(d[23]),
                  "+f"(d[24]), "+f"(d[25]), "+f"(d[26]), "+f"(d[27]), "+f"(d[28]), "+f"(d[29]),
                  "+f"(d[30]), "+f"(d[31]), "+f"(d[32]), "+f"(d[33]), "+f"(d[34]), "+f"(d[35]),
                  "+f"(d[36]), "+f"(d[37]), "+f"(d[38]), "+f"(d[39]), "+f"(d[40]), "+f"(d[41]),
                  "+f"(d[42]), "+f"(d[43]), "+f"(d[44]), "+f"(d[45]), "+f"(d[46]), "+f"(d[47]),
                  "+f"(d[48]), "+f"(d[49]), "+f"(d[50]), "+f"(d[51]), "+f"(d[52]), "+f"(d[53]),
                  "+f"(d[54]), "+f"(d[55]), "+f"(d[56]), "+f"(d[57]), "+f"(d[58]), "+f"(d[59]),
                  "+f"(d[60]), "+f"(d[61]), "+f"(d[62]), "+f"(d[63])
                : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "l"(desc), "r"(accumulate));
        }
        asm volatile("wgmma.commit_group.sync.aligned;" ::: "memory");
        asm volatile("wgmma.wait_group.sync.aligned 0;" ::: "memory");
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
