// What does a small kernel cost beyond its bytes? CUDA-event times (each launch queued behind a
// StreamHold, as `flashscope validate` times kernels) of
//   - an empty kernel (the launch and drain the presets call kernel_launch_us),
//   - a read sweep and a copy of 1..64 MiB, cold (the L2 flushed before each run) and warm,
//   - the same FFMA work as straight-line code (16, 64 KiB of SASS) and as a loop, cold, warm,
// so that the fixed cost of a kernel that touches memory, and of fetching its code, can be read off
// as the intercept of time against bytes. Built and run by scripts/kernel-start-probe.sh.
#include <cuda_runtime.h>

#include <algorithm>
#include <cstdio>
#include <functional>

#include "held_timer.cuh"

__global__ void empty_kernel() {}

__global__ void read_kernel(const uint4* in, long long words, unsigned* sink) {
    unsigned acc = 0;
    for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < words;
         i += (long long)gridDim.x * blockDim.x) {
        const uint4 w = in[i];
        acc ^= w.x ^ w.y ^ w.z ^ w.w;
    }
    if (acc == 0x12345678u) *sink = acc;
}

__global__ void copy_kernel(const uint4* in, uint4* out, long long words) {
    for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < words;
         i += (long long)gridDim.x * blockDim.x)
        out[i] = in[i];
}

// kN independent FFMA per thread as straight-line code (the compiler cannot fold them: each
// depends on a runtime value) or as a loop of the same count.
template <int kN>
__global__ void straight_kernel(float x, float* sink) {
    float a[8];
#pragma unroll
    for (int k = 0; k < 8; ++k) a[k] = x + k;
#pragma unroll
    for (int i = 0; i < kN / 8; ++i)
#pragma unroll
        for (int k = 0; k < 8; ++k) a[k] = fmaf(a[k], x, float(i + k));
    float s = 0;
    for (int k = 0; k < 8; ++k) s += a[k];
    if (s == 1.2345f) *sink = s;
}

__global__ void looped_kernel(float x, int n, float* sink) {
    float a[8];
#pragma unroll
    for (int k = 0; k < 8; ++k) a[k] = x + k;
#pragma unroll 1
    for (int i = 0; i < n / 8; ++i)
#pragma unroll
        for (int k = 0; k < 8; ++k) a[k] = fmaf(a[k], x, float(i + k));
    float s = 0;
    for (int k = 0; k < 8; ++k) s += a[k];
    if (s == 1.2345f) *sink = s;
}

int main() {
    int sms = 0;
    CHECK(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, 0));
    const long long flush_bytes = 512ll << 20;
    const long long max_bytes = 64ll << 20;
    char *flush = nullptr, *in = nullptr, *out = nullptr;
    unsigned* sink = nullptr;
    float* fsink = nullptr;
    CHECK(cudaMalloc(&flush, flush_bytes));
    CHECK(cudaMalloc(&in, max_bytes));
    CHECK(cudaMalloc(&out, max_bytes));
    CHECK(cudaMalloc(&sink, 4));
    CHECK(cudaMalloc(&fsink, 4));
    CHECK(cudaMemset(in, 1, max_bytes));
    const auto flush_l2 = [&] {
        CHECK(cudaMemsetAsync(flush, 3, flush_bytes));
        read_kernel<<<4 * sms, 256>>>(reinterpret_cast<const uint4*>(flush), flush_bytes / 16,
                                      sink);
    };
    const auto nothing = [] {};
    HeldTimer t;
    empty_kernel<<<sms, 128>>>();
    CHECK(cudaDeviceSynchronize());
    const double empty_cold = t.us([&] { empty_kernel<<<sms, 128>>>(); }, flush_l2);
    const double empty_warm = t.us([&] { empty_kernel<<<sms, 128>>>(); }, nothing);
    std::printf("empty kernel (%d CTAs of 128): cold %.2f us, warm %.2f us\n", sms, empty_cold,
                empty_warm);

    std::printf("\nbytes_MiB  read_cold_us  read_warm_us  copy_cold_us  copy_warm_us\n");
    for (long long mib : {1, 2, 4, 8, 16, 32, 64}) {
        const long long bytes = mib << 20, words = bytes / 16;
        const int grid = static_cast<int>(std::min<long long>(words / 256, 16ll * sms));
        const auto rd = [&] {
            read_kernel<<<grid, 256>>>(reinterpret_cast<const uint4*>(in), words, sink);
        };
        const auto cp = [&] {
            copy_kernel<<<grid, 256>>>(reinterpret_cast<const uint4*>(in),
                                       reinterpret_cast<uint4*>(out), words / 2);
        };
        std::printf("%9lld  %12.2f  %12.2f  %12.2f  %12.2f\n", mib, t.us(rd, flush_l2),
                    t.us(rd, nothing), t.us(cp, flush_l2), t.us(cp, nothing));
    }

    std::printf("\nFFMA per thread, one CTA of 128 per SM: straight-line code against a loop\n");
    std::printf("ffma   straight_cold_us  straight_warm_us  looped_cold_us  looped_warm_us\n");
    const auto row = [&](int n, const std::function<void()>& straight) {
        const auto looped = [&] { looped_kernel<<<sms, 128>>>(1.0001f, n, fsink); };
        std::printf("%5d  %16.2f  %16.2f  %14.2f  %14.2f\n", n, t.us(straight, flush_l2),
                    t.us(straight, nothing), t.us(looped, flush_l2), t.us(looped, nothing));
    };
    row(1024, [&] { straight_kernel<1024><<<sms, 128>>>(1.0001f, fsink); });
    row(4096, [&] { straight_kernel<4096><<<sms, 128>>>(1.0001f, fsink); });
    CHECK(cudaDeviceSynchronize());
    return 0;
}
