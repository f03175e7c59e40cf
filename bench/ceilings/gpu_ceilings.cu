// Measures the simulator's GPU parameters that no datasheet gives: SM clock under load, HBM and
// L2 latency (pointer chase), L2 and HBM bandwidth, and the mma.sync tensor-core rate per SM.
// Prints one "key: value  # how" line each, in the units of configs/gpus/*.yaml.
#include <cuda_bf16.h>
#include <cuda_runtime.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <random>
#include <vector>

#define CHECK(call)                                                                          \
    do {                                                                                     \
        cudaError_t err_ = (call);                                                           \
        if (err_ != cudaSuccess) {                                                           \
            std::fprintf(stderr, "gpu_ceilings: %s: %s\n", #call, cudaGetErrorString(err_)); \
            std::exit(1);                                                                    \
        }                                                                                    \
    } while (0)

namespace {

// One thread follows a random cycle of pointers; each load depends on the previous one.
__global__ void chase(const unsigned* next, long long steps, unsigned* sink, long long* cycles) {
    unsigned i = 0;
    const long long t0 = clock64();
    for (long long s = 0; s < steps; ++s) i = next[i];
    const long long t1 = clock64();
    *sink = i;
    *cycles = t1 - t0;
}

// Every thread reads 16 B per load over the buffer, many times.
__global__ void stream_read(const uint4* data, long long n, int repeats, uint4* sink) {
    uint4 acc = make_uint4(0, 0, 0, 0);
    const long long stride = (long long)gridDim.x * blockDim.x;
    for (int r = 0; r < repeats; ++r)
        for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < n; i += stride) {
            const uint4 v = __ldcg(data + i);  // cache in L2 only, not L1
            acc.x ^= v.x;
            acc.y ^= v.y;
            acc.z ^= v.z;
            acc.w ^= v.w;
        }
    if (acc.x == 0x12345678u) *sink = acc;
}

// Independent chains of m16n8k16 bf16 mma.sync per warp; reports SM clocks elapsed.
__global__ void mma_loop(int iters, float* sink, long long* cycles) {
#if __CUDA_ARCH__ >= 800
    unsigned a[4] = {0x3f803f80u, 0x3f803f80u, 0x3f803f80u, 0x3f803f80u};
    unsigned b[2] = {0x3f803f80u, 0x3f803f80u};
    float c[8][4] = {};
    const long long t0 = clock64();
    for (int it = 0; it < iters; ++it) {
#pragma unroll
        for (int k = 0; k < 8; ++k)
            asm volatile(
                "mma.sync.aligned.m16n8k16.row.col.f32.bf16.bf16.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, "
                "{%8,%9}, {%0,%1,%2,%3};\n"
                : "+f"(c[k][0]), "+f"(c[k][1]), "+f"(c[k][2]), "+f"(c[k][3])
                : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b[0]), "r"(b[1]));
    }
    const long long t1 = clock64();
    float s = 0;
    for (int k = 0; k < 8; ++k) s += c[k][0] + c[k][1] + c[k][2] + c[k][3];
    if (threadIdx.x == 0) {
        sink[blockIdx.x] = s;
        if (blockIdx.x == 0) *cycles = t1 - t0;
    }
#endif
}

__global__ void empty_kernel() {}

// What CUDA-event timing reports for a kernel that does nothing: launch and drain cost, the
// floor under every measured kernel time (median of 101 single launches).
double empty_kernel_seconds() {
    cudaEvent_t a, b;
    CHECK(cudaEventCreate(&a));
    CHECK(cudaEventCreate(&b));
    std::vector<float> ms(101);
    empty_kernel<<<1, 32>>>();
    for (float& t : ms) {
        CHECK(cudaEventRecord(a));
        empty_kernel<<<132, 128>>>();
        CHECK(cudaEventRecord(b));
        CHECK(cudaEventSynchronize(b));
        CHECK(cudaEventElapsedTime(&t, a, b));
    }
    std::sort(ms.begin(), ms.end());
    return double(ms[ms.size() / 2]) * 1e-3;
}

std::vector<unsigned> random_cycle(std::size_t n, std::size_t stride_elems) {
    std::vector<unsigned> order(n / stride_elems);
    std::iota(order.begin(), order.end(), 0u);
    std::shuffle(order.begin() + 1, order.end(), std::mt19937(42));
    std::vector<unsigned> next(n, 0);
    for (std::size_t k = 0; k < order.size(); ++k)
        next[order[k] * stride_elems] = order[(k + 1) % order.size()] * unsigned(stride_elems);
    return next;
}

double chase_cycles(std::size_t bytes, long long steps) {
    const std::size_t n = bytes / sizeof(unsigned);
    const auto host = random_cycle(n, 64);  // 256 B apart: one line per hop
    unsigned *next, *sink;
    long long* cycles;
    CHECK(cudaMalloc(&next, n * sizeof(unsigned)));
    CHECK(cudaMalloc(&sink, sizeof(unsigned)));
    CHECK(cudaMalloc(&cycles, sizeof(long long)));
    CHECK(cudaMemcpy(next, host.data(), n * sizeof(unsigned), cudaMemcpyHostToDevice));
    chase<<<1, 1>>>(next, steps, sink, cycles);  // warm-up (fills L2 when it fits)
    chase<<<1, 1>>>(next, steps, sink, cycles);
    long long c = 0;
    CHECK(cudaMemcpy(&c, cycles, sizeof c, cudaMemcpyDeviceToHost));
    CHECK(cudaFree(next));
    CHECK(cudaFree(sink));
    CHECK(cudaFree(cycles));
    return double(c) / double(steps);
}

double read_bandwidth(std::size_t bytes, int repeats, int sms) {
    uint4 *data, *sink;
    CHECK(cudaMalloc(&data, bytes));
    CHECK(cudaMalloc(&sink, sizeof(uint4)));
    CHECK(cudaMemset(data, 1, bytes));
    const long long n = (long long)(bytes / sizeof(uint4));
    cudaEvent_t a, b;
    CHECK(cudaEventCreate(&a));
    CHECK(cudaEventCreate(&b));
    stream_read<<<sms * 8, 256>>>(data, n, 1, sink);
    CHECK(cudaEventRecord(a));
    stream_read<<<sms * 8, 256>>>(data, n, repeats, sink);
    CHECK(cudaEventRecord(b));
    CHECK(cudaEventSynchronize(b));
    float ms = 0;
    CHECK(cudaEventElapsedTime(&ms, a, b));
    CHECK(cudaFree(data));
    CHECK(cudaFree(sink));
    return double(bytes) * repeats / (ms * 1e-3);
}

}  // namespace

int main() {
    int device = 0, sms = 0, clock_khz = 0;
    CHECK(cudaGetDevice(&device));
    cudaDeviceProp prop{};
    CHECK(cudaGetDeviceProperties(&prop, device));
    sms = prop.multiProcessorCount;
    CHECK(cudaDeviceGetAttribute(&clock_khz, cudaDevAttrClockRate, device));
    std::printf("# gpu_ceilings on %s (%d SMs, %zu MiB L2)\n", prop.name, sms,
                size_t(prop.l2CacheSize) >> 20);

    // mma.sync rate and the SM clock under that load (clock64 cycles over event time).
    const int iters = 200000, warps = 4;
    float* sink;
    long long* cycles;
    CHECK(cudaMalloc(&sink, sizeof(float) * sms * 4));
    CHECK(cudaMalloc(&cycles, sizeof(long long)));
    mma_loop<<<sms, 32 * warps>>>(1000, sink, cycles);
    cudaEvent_t a, b;
    CHECK(cudaEventCreate(&a));
    CHECK(cudaEventCreate(&b));
    CHECK(cudaEventRecord(a));
    mma_loop<<<sms, 32 * warps>>>(iters, sink, cycles);
    CHECK(cudaEventRecord(b));
    CHECK(cudaEventSynchronize(b));
    float ms = 0;
    CHECK(cudaEventElapsedTime(&ms, a, b));
    long long c = 0;
    CHECK(cudaMemcpy(&c, cycles, sizeof c, cudaMemcpyDeviceToHost));
    const double flops_per_sm = 2.0 * 16 * 8 * 16 * 8 * double(iters) * warps;
    const double clock_hz = double(c) / (ms * 1e-3);
    std::printf(
        "sm_clock_mhz: %.0f  # clock64 cycles / elapsed time under an mma.sync load (attribute: %d "
        "MHz)\n",
        clock_hz / 1e6, clock_khz / 1000);
    std::printf(
        "mma_sync_bf16_flops_per_clk_per_sm: %.0f  # m16n8k16, 4 warps x 8 independent chains per "
        "SM\n",
        flops_per_sm / double(c));

    std::printf("kernel_launch_us: %.2f  # CUDA-event time of an empty kernel, median of 101\n",
                empty_kernel_seconds() * 1e6);
    const double l2_lat = chase_cycles(std::size_t(8) << 20, 200000);
    const double hbm_lat = chase_cycles(std::size_t(2) << 30, 200000);
    std::printf("l2_latency_cycles: %.0f  # pointer chase in 8 MiB, 256 B hops\n", l2_lat);
    std::printf("hbm_latency_ns: %.0f  # pointer chase in 2 GiB, 256 B hops, at the clock above\n",
                hbm_lat / clock_hz * 1e9);
    const double l2_bw = read_bandwidth(std::size_t(16) << 20, 200, sms);
    std::printf("l2_bytes_per_clk: %.0f  # 16 MiB read 200 times with ld.cg (%.2f TB/s)\n",
                l2_bw / clock_hz, l2_bw / 1e12);
    const double hbm_bw = read_bandwidth(std::size_t(4) << 30, 3, sms);
    std::printf("hbm_read_gbps: %.0f  # 4 GiB read 3 times with ld.cg\n", hbm_bw / 1e9);
    return 0;
}
