// Does a warp wait at each global load that the SM's L2 port cannot take yet, or does a queue
// take a burst of them while the warp goes on? (scripts/l2-port-queue-probe.sh)
// Each warp (one per sub-partition, one CTA per SM on a quarter of the SMs, data L2-resident)
// repeats: a burst of B loads in an mma.sync accumulator's layout (8 rows x 32 B, ld.global.cg:
// FlashAttention-1's running output), then a dependent FFMA chain that does not need them, then
// sums the loads. `loads` leaves the chain out, `chain` the loads. If issue waited for the port,
// both together would take the sum of the two; with a queue, the longer of them. The same with
// bursts of stores (st.global.cg, the running output written back) in place of the loads.
#include <cuda_runtime.h>

#include <cstdio>
#include <cstdlib>

namespace {

__device__ __forceinline__ long long clock_now() {
    long long t;
    asm volatile("mov.u64 %0, %%clock64;" : "=l"(t)::"memory");
    return t;
}

template <int kBurst, bool kLoads, bool kChain, bool kStores = false>
__global__ void burst(float2* data, unsigned mask, int repeats, int chain, float seed,
                      long long* cycles, float* sink) {
    const unsigned lane = threadIdx.x % 32;
    const unsigned warp = (blockIdx.x * blockDim.x + threadIdx.x) / 32;
    float acc = 0.f, x = seed;
    const long long t0 = clock_now();
    for (int r = 0; r < repeats; ++r) {
        // 16 loads of 32 B cover 8 rows of 512 B (fp32, head dim 128); then the next 8 rows.
        const unsigned base = (warp * 64 + unsigned(r) * 8 * kBurst) * 64;
        float2 v[kBurst];
        if constexpr (kLoads || kStores) {
#pragma unroll
            for (int u = 0; u < kBurst; ++u) {
                const unsigned i =
                    (base + (u / 16) * 8 * 64 + (lane / 4) * 64 + (u % 16) * 4 + lane % 4) & mask;
                if constexpr (kStores)
                    __stcg(data + i, make_float2(x, float(u)));
                else
                    v[u] = __ldcg(data + i);
            }
        }
        if constexpr (kChain) {
            for (int c = 0; c < chain; ++c) x = fmaf(x, 0.999f, 0.5f);
        }
        if constexpr (kLoads) {
#pragma unroll
            for (int u = 0; u < kBurst; ++u) acc += v[u].x + v[u].y;
        }
    }
    const long long t1 = clock_now();
    if (acc + x == 1.2345f) sink[0] = acc;
    if (lane == 0) cycles[warp] = t1 - t0;
}

void check(cudaError_t e) {
    if (e != cudaSuccess) {
        std::fprintf(stderr, "l2_port_queue: %s\n", cudaGetErrorString(e));
        std::exit(1);
    }
}

template <int kBurst, bool kLoads, bool kChain, bool kStores = false>
double cycles_per_repeat(float2* data, unsigned mask, int ctas, int threads, int chain,
                         long long* cycles, float* sink) {
    constexpr int repeats = 200;
    double best = 1e300;
    for (int run = 0; run < 5; ++run) {
        burst<kBurst, kLoads, kChain, kStores>
            <<<ctas, threads>>>(data, mask, repeats, chain, 1.f, cycles, sink);
        check(cudaDeviceSynchronize());
        const int warps = ctas * threads / 32;
        long long host[4096];
        check(cudaMemcpy(host, cycles, sizeof(long long) * warps, cudaMemcpyDeviceToHost));
        double sum = 0;
        for (int w = 0; w < warps; ++w) sum += double(host[w]);
        best = sum / warps / repeats < best ? sum / warps / repeats : best;
    }
    return best;
}

template <int kBurst, bool kStores>
void row(float2* data, unsigned mask, int ctas, int threads, long long* cycles, float* sink) {
    // A chain about as long as the burst takes through a quarter of a 32 B/clk port: 4 cycles an
    // FFMA, 32 a load.
    const int chain = kBurst * 8;
    const double access = cycles_per_repeat<kBurst, !kStores, false, kStores>(
        data, mask, ctas, threads, chain, cycles, sink);
    const double ffma =
        cycles_per_repeat<kBurst, false, true>(data, mask, ctas, threads, chain, cycles, sink);
    const double both = cycles_per_repeat<kBurst, !kStores, true, kStores>(
        data, mask, ctas, threads, chain, cycles, sink);
    const double hidden = (access + ffma - both) / (access < ffma ? access : ffma);
    std::printf("%-6s %5d %8d %7d %10.1f %10.1f %10.1f %8.2f\n", kStores ? "stores" : "loads",
                threads / 32, kBurst, chain, access, ffma, both, hidden);
}

// Every burst length for one, four and eight warps per SM.
template <bool kStores>
void table(float2* data, unsigned mask, int ctas, long long* cycles, float* sink) {
    for (const int threads : {32, 128, 256}) {
        row<4, kStores>(data, mask, ctas, threads, cycles, sink);
        row<8, kStores>(data, mask, ctas, threads, cycles, sink);
        row<16, kStores>(data, mask, ctas, threads, cycles, sink);
        row<32, kStores>(data, mask, ctas, threads, cycles, sink);
        row<48, kStores>(data, mask, ctas, threads, cycles, sink);
    }
}

}  // namespace

int main() {
    int sms = 0;
    check(cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, 0));
    const unsigned n = 1u << 20;  // float2: 8 MiB, L2-resident
    float2* data = nullptr;
    long long* cycles = nullptr;
    float* sink = nullptr;
    check(cudaMalloc(&data, sizeof(float2) * n));
    check(cudaMalloc(&cycles, sizeof(long long) * 4096));
    check(cudaMalloc(&sink, sizeof(float)));
    check(cudaMemset(data, 0, sizeof(float2) * n));
    const int ctas = sms / 4 > 0 ? sms / 4 : 1;
    std::printf("# %d CTAs (one per SM); cycles per repeat, clock64, best of 5 runs of 200\n",
                ctas);
    std::printf(
        "access warps/SM  burst  ffma  access_only  ffma_only  both  hidden(share of the "
        "shorter)\n");
    table<false>(data, n - 1, ctas, cycles, sink);  // loads
    table<true>(data, n - 1, ctas, cycles, sink);   // stores
    return 0;
}
