// When does the L2 write dirty lines back? A probe for Nsight Compute
// (scripts/l2-writeback-probe.sh): for each size W, clean the L2 (write a scratch buffer, then read
// another one far larger than the L2), write W bytes (`write_once`), write the same W bytes 20
// times over (`write_again`), then read the large buffer (`evict`): the DRAM writes ncu counts in
// each kernel say what reached DRAM while it ran and what it left dirty.
#include <cuda_runtime.h>

#include <cstdio>
#include <cstdlib>

namespace {

__global__ void write_once(uint4* data, long long n) {
    for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < n;
         i += (long long)gridDim.x * blockDim.x)
        data[i] = make_uint4(unsigned(i), 1u, 2u, 3u);
}

__global__ void write_again(uint4* data, long long n, int repeats) {
    for (int r = 0; r < repeats; ++r)
        for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < n;
             i += (long long)gridDim.x * blockDim.x)
            data[i] = make_uint4(unsigned(i), unsigned(r), 2u, 3u);
}

__global__ void evict(const uint4* data, long long n, uint4* sink) {
    uint4 acc = make_uint4(0, 0, 0, 0);
    for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < n;
         i += (long long)gridDim.x * blockDim.x) {
        const uint4 v = __ldcg(data + i);
        acc.x ^= v.x;
    }
    if (acc.x == 0x12345678u) *sink = acc;
}

void check(cudaError_t e) {
    if (e != cudaSuccess) {
        std::fprintf(stderr, "l2_writeback: %s\n", cudaGetErrorString(e));
        std::exit(1);
    }
}

}  // namespace

int main() {
    int sms = 0;
    check(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, 0));
    const long long big = (512ll << 20) / 16;  // 512 MiB of uint4, far past the L2
    uint4 *scratch = nullptr, *large = nullptr, *target = nullptr, *sink = nullptr;
    check(cudaMalloc(&scratch, big * 16));
    check(cudaMalloc(&large, big * 16));
    check(cudaMalloc(&target, (64ll << 20)));
    check(cudaMalloc(&sink, 16));
    check(cudaMemset(large, 1, big * 16));
    for (const int mib : {2, 4, 8, 12, 16, 24, 32, 48}) {
        const long long n = (static_cast<long long>(mib) << 20) / 16;
        write_once<<<sms * 8, 256>>>(scratch, big);  // dirty the L2 with other data,
        evict<<<sms * 8, 256>>>(large, big, sink);   // then leave it clean
        write_once<<<sms * 8, 256>>>(target, n);
        evict<<<sms * 8, 256>>>(large, big, sink);
        write_again<<<sms * 8, 256>>>(target, n, 20);
        evict<<<sms * 8, 256>>>(large, big, sink);
        check(cudaGetLastError());
        check(cudaDeviceSynchronize());
        std::printf("size %d MiB done\n", mib);
    }
    return 0;
}
