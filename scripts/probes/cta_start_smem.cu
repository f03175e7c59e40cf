// Does a CTA that asks for more shared memory start slower? CUDA-event times (held, as
// `flashscope validate` times kernels) of empty kernels of 256 threads with 0 .. 200 KiB of
// dynamic shared memory, one CTA per SM at a time (the shared memory keeps others off from 128 KiB
// on; below it, as many as fit), 32 CTAs per SM in all: the time per CTA per SM past the launch.
// Built and run by scripts/cta-start-smem-probe.sh.
#include <cuda_runtime.h>

#include <cstdio>

#include "held_timer.cuh"

__global__ void empty_kernel() {
    extern __shared__ int smem[];
    if (threadIdx.x == 1024) smem[0] = 0;  // never: keeps the allocation
}

int main() {
    int sms = 0;
    CHECK(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, 0));
    CHECK(cudaFuncSetAttribute(empty_kernel, cudaFuncAttributeMaxDynamicSharedMemorySize,
                               200 * 1024));
    HeldTimer t;
    const auto nothing = [] {};
    const double launch = t.us([&] { empty_kernel<<<sms, 256>>>(); }, nothing);
    std::printf("one wave, no shared memory: %.2f us\n", launch);
    std::printf("smem_KiB  ctas_per_sm_at_once  us_32_per_sm  ns_per_cta_per_sm\n");
    for (int kib : {0, 16, 48, 64, 100, 128, 160, 200}) {
        const size_t bytes = size_t(kib) * 1024;
        int resident = 0;
        CHECK(cudaOccupancyMaxActiveBlocksPerMultiprocessor(&resident, empty_kernel, 256, bytes));
        const double us = t.us([&] { empty_kernel<<<32 * sms, 256, bytes>>>(); }, nothing);
        std::printf("%8d  %20d  %12.2f  %17.1f\n", kib, resident, us, (us - launch) * 1e3 / 32);
    }
    CHECK(cudaDeviceSynchronize());
    return 0;
}
