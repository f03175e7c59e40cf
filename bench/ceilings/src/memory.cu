// The memory system and the chip: SM clock under load, launch cost, L2/HBM latency by pointer
// chase, L2/HBM read bandwidth, and the L2's atomic-add throughput (FlashAttention-2's dQ).
#include <numeric>
#include <random>

#include "cuda_check.cuh"
#include "flashscope/ceilings/microbenchmarks.hpp"
#include "pipe_ops.cuh"
#include "stream_kernels.cuh"

namespace flashscope::ceilings {

namespace {

using detail::DeviceBuffer;
using detail::Events;
using detail::median;
using detail::median_of;

// One thread follows a random cycle of pointers through L2 (ld.global.cg: not L1); each load's
// address is the previous load's value.
__global__ void chase(const unsigned* next, long long steps, unsigned* sink, long long* cycles) {
    unsigned i = 0;
    const long long t0 = clock64();
    for (long long s = 0; s < steps; ++s) i = __ldcg(next + i);
    const long long t1 = clock64();
    *sink = i;
    *cycles = t1 - t0;
}

// A chase of returning atomics: each atomicAdd(float2, 0) (ATOMG.E.ADD.F32x2 on sm_90, what
// flash2's backward reduces dQ with) returns the next cell's index, exact as a float below 2^24.
__global__ void atomic_chase(float2* next, long long steps, unsigned* sink, long long* cycles) {
    unsigned i = 0;
    const long long t0 = clock64();
    for (long long s = 0; s < steps; ++s) {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
        i = static_cast<unsigned>(atomicAdd(next + i, make_float2(0.f, 0.f)).x);
#else
        i = static_cast<unsigned>(atomicAdd(&next[i].x, 0.f));
#endif
    }
    const long long t1 = clock64();
    *sink = i;
    *cycles = t1 - t0;
}

// The same chase, each hop timed on its own: the (volatile) store of the loaded index issues only
// once the load has returned (a warp issues in order), so the second clock read follows it. Not
// unrolled: unrolled, the compiler keeps one store in four and three hops go untimed.
__global__ void chase_hops(const unsigned* next, int hops, unsigned* sink, unsigned* latencies) {
    __shared__ volatile unsigned seen;
    unsigned i = 0;
#pragma unroll 1
    for (int s = 0; s < hops; ++s) {
        const long long t0 = clock64();
        i = __ldcg(next + i);
        seen = i;
        const long long t1 = clock64();
        latencies[s] = unsigned(t1 - t0);
    }
    *sink = i + seen;
}

__global__ void stream_read(const uint4* data, long long n, int repeats, uint4* sink) {
    uint4 acc = make_uint4(0, 0, 0, 0);
    const long long stride = (long long)gridDim.x * blockDim.x;
    for (int r = 0; r < repeats; ++r)
        for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < n; i += stride) {
            const uint4 v = __ldcg(data + i);
            acc.x ^= v.x;
            acc.y ^= v.y;
            acc.z ^= v.z;
            acc.w ^= v.w;
        }
    if (acc.x == 0x12345678u) *sink = acc;
}

// Every thread adds one to its own 16 B of the buffer (ld.global.cg then st.global.cg): a running
// accumulator re-read after it was written, as FlashAttention-1's output is between K/V blocks.
__global__ void stream_update(uint4* data, long long n, int repeats) {
    const long long stride = (long long)gridDim.x * blockDim.x;
    for (int r = 0; r < repeats; ++r)
        for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < n; i += stride) {
            uint4 v = __ldcg(data + i);
            v.x += 1u;
            __stcg(data + i, v);
        }
}

// Coalesced red.global.add.f32 (atomicAdd with its result unused) over distinct addresses.
__global__ void red_add(float* data, long long n, int repeats) {
    const long long stride = (long long)gridDim.x * blockDim.x;
    for (int r = 0; r < repeats; ++r)
        for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < n; i += stride)
            atomicAdd(data + i, 1.0f);
}

// One CTA per SM (its shared memory keeps others off) streams an L2-resident buffer through the
// SM's port to the L2: reads (ld.global.cg, past L1), writes (st.global.cg) or both at once, in
// accesses of sizeof(T) bytes per thread. Each CTA starts at its own offset; the cycles it counted
// time its own bytes.
enum class PortMode : int { read = 0, write = 1, both = 2 };

__device__ unsigned fold(unsigned v) {
    return v;
}
__device__ unsigned fold(uint2 v) {
    return v.x ^ v.y;
}
__device__ unsigned fold(uint4 v) {
    return v.x ^ v.y ^ v.z ^ v.w;
}
template <class T>
__device__ T filled(unsigned a, unsigned b) {
    T v;
    unsigned* words = reinterpret_cast<unsigned*>(&v);
    for (unsigned k = 0; k < sizeof(T) / 4; ++k) words[k] = k % 2 ? b : a;
    return v;
}

template <class T, int mode>
__global__ void sm_port_stream(const T* src, T* dst, unsigned mask, int repeats, unsigned* sink,
                               long long* cycles) {
    // n = mask + 1 elements, a power of two: wrapping is one AND, so the loop's own instructions
    // stay few (a 64-bit modulo per access made an earlier version issue-bound, not port-bound).
    constexpr unsigned k_unroll = 4;
    unsigned acc = 0;
    const unsigned start = blockIdx.x * ((mask + 1) / gridDim.x);
    const unsigned per_pass = (mask + 1) / (blockDim.x * k_unroll) * (blockDim.x * k_unroll);
    __syncthreads();
    const long long t0 = clock64();
    for (int r = 0; r < repeats; ++r)
        for (unsigned base = threadIdx.x; base < per_pass; base += blockDim.x * k_unroll) {
            T v[k_unroll];
#pragma unroll
            for (unsigned u = 0; u < k_unroll; ++u) {
                const unsigned i = (start + base + u * blockDim.x) & mask;
                if constexpr (mode != int(PortMode::write))
                    v[u] = __ldcg(src + i);
                else
                    v[u] = filled<T>(i, unsigned(r));
            }
#pragma unroll
            for (unsigned u = 0; u < k_unroll; ++u) {
                const unsigned i = (start + base + u * blockDim.x) & mask;
                if constexpr (mode != int(PortMode::read))
                    __stcg(dst + i, v[u]);
                else
                    acc ^= fold(v[u]);
            }
        }
    __syncthreads();
    const long long t1 = clock64();
    if (acc == 0x12345678u) sink[blockIdx.x] = acc;
    if (threadIdx.x == 0) cycles[blockIdx.x] = t1 - t0;
}

// The same port, with the access pattern of an mma.sync accumulator kept in global memory
// (FlashAttention-1's running output, FlashAttention-2's dQ): each warp instruction moves 8 B per
// lane over 8 rows of 512 B (fp32, head dim 128), 32 B per row: 8 lines a request. mode 0 loads,
// 1 stores, 3 atomicAdd of float2 (the dQ reductions; 256 B a warp instruction).
template <int mode>
__global__ void sm_port_fragments(float2* data, unsigned mask, int repeats, unsigned* sink,
                                  long long* cycles) {
    constexpr unsigned k_row = 64, k_unroll = 4;  // float2 per 512-byte row
    const unsigned lane = threadIdx.x % 32, warp = threadIdx.x / 32, warps = blockDim.x / 32;
    const unsigned rows = (mask + 1) / k_row;
    const unsigned start = blockIdx.x * (rows / gridDim.x);
    float acc = 0;
    __syncthreads();
    const long long t0 = clock64();
    for (int r = 0; r < repeats; ++r)
        for (unsigned row8 = warp * 8; row8 < rows; row8 += warps * 8)
            for (unsigned chunk = 0; chunk < k_row / 4; chunk += k_unroll) {
                float2 v[k_unroll];
                const unsigned row = ((start + row8 + lane / 4) * k_row) & mask;
#pragma unroll
                for (unsigned u = 0; u < k_unroll; ++u) {
                    const unsigned i = row + (chunk + u) * 4 + lane % 4;
                    if constexpr (mode == 0)
                        v[u] = __ldcg(data + i);
                    else if constexpr (mode == 1)
                        __stcg(data + i, make_float2(float(r), 1.f));
                    else {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
                        atomicAdd(data + i, make_float2(1.f, 1.f));
#else  // no float2 atomics before sm_90: two float ones, as flash2's backward does there
                        atomicAdd(&data[i].x, 1.f);
                        atomicAdd(&data[i].y, 1.f);
#endif
                    }
                }
                if constexpr (mode == 0)
#pragma unroll
                    for (unsigned u = 0; u < k_unroll; ++u) acc += v[u].x + v[u].y;
            }
    __syncthreads();
    const long long t1 = clock64();
    if (acc == 1.2345f) sink[blockIdx.x] = 1;
    if (threadIdx.x == 0) cycles[blockIdx.x] = t1 - t0;
}

// One warp per sub-partition issues bursts of kBurst loads in an mma.sync accumulator's layout
// (ld.global.cg, 8 rows x 32 B each, L2-resident) and then sums them: clock64 cycles per burst.
// The warp does not wait at each load (the LSU queues them: scripts/l2-port-queue-probe.sh);
// the data come back at the rate one warp's outstanding requests allow.
template <int kBurst>
__global__ void warp_fragment_bursts(const float2* data, unsigned mask, int repeats,
                                     long long* cycles, float* sink) {
    const unsigned lane = threadIdx.x % 32;
    const unsigned warp = (blockIdx.x * blockDim.x + threadIdx.x) / 32;
    float acc = 0.f;
    const long long t0 = clock64();
    for (int r = 0; r < repeats; ++r) {
        const unsigned base = (warp * 64 + unsigned(r) * 8 * kBurst) * 64;
        float2 v[kBurst];
#pragma unroll
        for (int u = 0; u < kBurst; ++u)
            v[u] = __ldcg(
                data +
                ((base + (u / 16) * 8 * 64 + (lane / 4) * 64 + (u % 16) * 4 + lane % 4) & mask));
#pragma unroll
        for (int u = 0; u < kBurst; ++u) acc += v[u].x + v[u].y;
    }
    const long long t1 = clock64();
    if (acc == 1.2345f) sink[0] = acc;
    if (lane == 0) cycles[warp] = t1 - t0;
}

// mma.sync on every SM: CTA 0's clock64 cycles over the launch's event time is the clock.
__global__ void mma_load(int iters, unsigned seed, long long* cycles, unsigned* sink) {
    const unsigned a[4] = {seed, seed, seed, seed}, b[2] = {seed, seed};
    float c[8][4] = {};
    const long long t0 = clock64();
    for (int it = 0; it < iters; ++it) {
#pragma unroll
        for (int k = 0; k < 8; ++k) mma_step<MmaType::bf16>(c[k], a, b);
    }
    const long long t1 = clock64();
    float s = 0;
    for (int k = 0; k < 8; ++k) s += c[k][0];
    if (s == 1.25f) sink[0] = 1;
    if (blockIdx.x == 0 && threadIdx.x == 0) *cycles = t1 - t0;
}

__global__ void empty_kernel() {}

// next[k] for a random cycle through one word every `stride_words` words.
std::vector<unsigned> random_cycle(std::size_t words, std::size_t stride_words) {
    std::vector<unsigned> order(words / stride_words);
    std::iota(order.begin(), order.end(), 0u);
    std::shuffle(order.begin() + 1, order.end(), std::mt19937(42));
    std::vector<unsigned> next(words, 0);
    for (std::size_t k = 0; k < order.size(); ++k)
        next[order[k] * stride_words] = order[(k + 1) % order.size()] * unsigned(stride_words);
    return next;
}

constexpr std::size_t k_hop_words = 64;  // 256 B apart: a new line every hop

DeviceBuffer<unsigned> chase_buffer(std::int64_t bytes) {
    const auto host = random_cycle(std::size_t(bytes) / sizeof(unsigned), k_hop_words);
    DeviceBuffer<unsigned> next(host.size());
    CEILINGS_CHECK(cudaMemcpy(next.get(), host.data(), host.size() * sizeof(unsigned),
                              cudaMemcpyHostToDevice));
    return next;
}

}  // namespace

double sm_clock_hz_under_load(int runs) {
    const int sms = detail::device_sm_count(), iters = 100000;
    DeviceBuffer<long long> cycles(1);
    DeviceBuffer<unsigned> sink(1);
    mma_load<<<sms, 128>>>(iters / 10, 0x3f803f80u, cycles.get(), sink.get());
    CEILINGS_CHECK(cudaGetLastError());
    Events events;
    return median_of(runs, [&] {
        events.start();
        mma_load<<<sms, 128>>>(iters, 0x3f803f80u, cycles.get(), sink.get());
        CEILINGS_CHECK(cudaGetLastError());
        const double seconds = events.stop_seconds();
        return double(cycles.to_host()[0]) / seconds;
    });
}

double empty_ctas_seconds(int ctas, int threads, int runs) {
    empty_kernel<<<ctas, threads>>>();
    CEILINGS_CHECK(cudaDeviceSynchronize());
    Events events;
    // The launch is queued behind a hold before the events can see it, as `flashscope validate`
    // times kernels: the GPU's cost of a kernel, not the host's launch call.
    profiler::StreamHold hold;
    return median_of(runs, [&] {
        hold.hold(nullptr);
        events.start();
        empty_kernel<<<ctas, threads>>>();
        CEILINGS_CHECK(cudaGetLastError());
        const double seconds = events.stop_seconds(hold);
        if (hold.timed_out())
            throw std::runtime_error("calibrate: the empty kernel's hold timed out");
        return seconds;
    });
}

double kernel_launch_seconds(int runs) {
    return empty_ctas_seconds(detail::device_sm_count(), 128, runs);
}

double atomic_chase_cycles(std::int64_t bytes, std::int64_t steps, int runs) {
    // The chase's cycle as float2 cells (256 B apart), the next cell's index as a float in .x.
    const auto host = random_cycle(std::size_t(bytes) / sizeof(float2), k_hop_words / 2);
    std::vector<float2> cells(host.size(), make_float2(0.f, 0.f));
    for (std::size_t k = 0; k < host.size(); ++k) cells[k].x = float(host[k]);
    DeviceBuffer<float2> next(cells.size());
    CEILINGS_CHECK(cudaMemcpy(next.get(), cells.data(), cells.size() * sizeof(float2),
                              cudaMemcpyHostToDevice));
    DeviceBuffer<unsigned> sink(1);
    DeviceBuffer<long long> cycles(1);
    atomic_chase<<<1, 1>>>(next.get(), steps, sink.get(), cycles.get());  // warms the L2
    CEILINGS_CHECK(cudaGetLastError());
    return median_of(runs, [&] {
        atomic_chase<<<1, 1>>>(next.get(), steps, sink.get(), cycles.get());
        CEILINGS_CHECK(cudaGetLastError());
        return double(cycles.to_host()[0]) / double(steps);
    });
}

double chase_cycles(std::int64_t bytes, std::int64_t steps, int runs) {
    const auto next = chase_buffer(bytes);
    DeviceBuffer<unsigned> sink(1);
    DeviceBuffer<long long> cycles(1);
    chase<<<1, 1>>>(next.get(), steps, sink.get(), cycles.get());  // warms L2 when it fits
    CEILINGS_CHECK(cudaGetLastError());
    return median_of(runs, [&] {
        chase<<<1, 1>>>(next.get(), steps, sink.get(), cycles.get());
        CEILINGS_CHECK(cudaGetLastError());
        return double(cycles.to_host()[0]) / double(steps);
    });
}

std::vector<double> chase_per_hop_cycles(std::int64_t bytes, int hops) {
    const auto next = chase_buffer(bytes);
    DeviceBuffer<unsigned> sink(1);
    DeviceBuffer<unsigned> latencies{std::size_t(hops)};
    const long long lines = bytes / std::int64_t(k_hop_words * sizeof(unsigned));
    DeviceBuffer<long long> cycles(1);
    chase<<<1, 1>>>(next.get(), lines, sink.get(), cycles.get());  // every line into L2
    chase_hops<<<1, 1>>>(next.get(), hops, sink.get(), latencies.get());
    CEILINGS_CHECK(cudaGetLastError());
    std::vector<double> out;
    for (const unsigned c : latencies.to_host()) out.push_back(double(c));
    return out;
}

// Event-timed rate of a streaming kernel: `launch(r)` starts it for r passes over its data; one
// pass first (the data into L2 where it fits, the TLB warm), then the median of `runs` launches
// of `repeats` passes, `bytes_per_pass` each.
template <class Launch>
double stream_bytes_per_second(const Launch& launch, double bytes_per_pass, int repeats, int runs) {
    launch(1);
    CEILINGS_CHECK(cudaGetLastError());
    Events events;
    return median_of(runs, [&] {
        events.start();
        launch(repeats);
        CEILINGS_CHECK(cudaGetLastError());
        return bytes_per_pass * repeats / events.stop_seconds();
    });
}

double read_bytes_per_second(std::int64_t bytes, int repeats, int runs) {
    const int sms = detail::device_sm_count();
    const long long n = bytes / std::int64_t(sizeof(uint4));
    DeviceBuffer<uint4> data{std::size_t(n)};
    DeviceBuffer<uint4> sink(1);
    CEILINGS_CHECK(cudaMemset(data.get(), 1, std::size_t(n) * sizeof(uint4)));
    return stream_bytes_per_second(
        [&](int r) { stream_read<<<sms * 8, 256>>>(data.get(), n, r, sink.get()); },
        double(n) * sizeof(uint4), repeats, runs);
}

double update_bytes_per_second(std::int64_t bytes, int repeats, int runs) {
    const int sms = detail::device_sm_count();
    const long long n = bytes / std::int64_t(sizeof(uint4));
    DeviceBuffer<uint4> data{std::size_t(n)};
    CEILINGS_CHECK(cudaMemset(data.get(), 1, std::size_t(n) * sizeof(uint4)));
    return stream_bytes_per_second(
        [&](int r) { stream_update<<<sms * 8, 256>>>(data.get(), n, r); },
        2.0 * double(n) * sizeof(uint4), repeats, runs);
}

double write_bytes_per_second(std::int64_t bytes, int repeats, int runs) {
    const int sms = detail::device_sm_count();
    const long long n = bytes / std::int64_t(sizeof(uint4));
    DeviceBuffer<uint4> data{std::size_t(n)};
    return stream_bytes_per_second(
        [&](int r) {
            streams::write<streams::Policy::streaming><<<sms * 8, 256>>>(data.get(), n, r);
        },
        double(n) * sizeof(uint4), repeats, runs);
}

double l2_store_pass_bytes_per_second(std::int64_t small, std::int64_t large, int runs) {
    const int sms = detail::device_sm_count();
    const long long large_n = large / std::int64_t(sizeof(uint4));
    const long long small_n = small / std::int64_t(sizeof(uint4));
    DeviceBuffer<uint4> data{std::size_t(large_n)};
    streams::write<streams::Policy::l2>
        <<<sms * 8, 256>>>(data.get(), large_n, 1);  // the lines into the L2
    CEILINGS_CHECK(cudaDeviceSynchronize());
    Events events;
    profiler::StreamHold hold;
    const auto pass_seconds = [&](long long n) {
        return median_of(runs, [&] {
            hold.hold(nullptr);
            events.start();
            streams::write<streams::Policy::l2><<<sms * 8, 256>>>(data.get(), n, 1);
            CEILINGS_CHECK(cudaGetLastError());
            const double seconds = events.stop_seconds(hold);
            if (hold.timed_out())
                throw std::runtime_error("calibrate: the store pass's hold timed out");
            return seconds;
        });
    };
    const double extra = pass_seconds(large_n) - pass_seconds(small_n);
    if (!(extra > 0)) throw std::runtime_error("calibrate: a larger store pass was not slower");
    return double(large_n - small_n) * sizeof(uint4) / extra;
}

double copy_bytes_per_second(std::int64_t bytes, int repeats, int runs) {
    const int sms = detail::device_sm_count();
    const long long n = bytes / std::int64_t(sizeof(uint4));
    DeviceBuffer<uint4> in{std::size_t(n)};
    DeviceBuffer<uint4> out{std::size_t(n)};
    CEILINGS_CHECK(cudaMemset(in.get(), 1, std::size_t(n) * sizeof(uint4)));
    return stream_bytes_per_second(
        [&](int r) {
            streams::copy<streams::Policy::streaming><<<sms * 8, 256>>>(in.get(), out.get(), n, r);
        },
        2.0 * double(n) * sizeof(uint4), repeats, runs);
}

double red_add_f32_bytes_per_second(std::int64_t bytes, int repeats, int runs) {
    const int sms = detail::device_sm_count();
    const long long n = bytes / std::int64_t(sizeof(float));
    DeviceBuffer<float> data{std::size_t(n)};
    CEILINGS_CHECK(cudaMemset(data.get(), 0, std::size_t(n) * sizeof(float)));
    return stream_bytes_per_second([&](int r) { red_add<<<sms * 8, 256>>>(data.get(), n, r); },
                                   double(n) * sizeof(float), repeats, runs);
}

// The port benchmarks' timing: `launch(repeats)` starts the kernel; a first launch of one pass
// brings the data into L2, then the median over `runs` launches of `moved` bytes over the median
// CTA's clock64 cycles.
template <class Launch>
double bytes_per_cta_clock(const Launch& launch, const DeviceBuffer<long long>& cycles,
                           double moved, int repeats, int runs) {
    const auto run = [&](int reps) {
        launch(reps);
        CEILINGS_CHECK(cudaGetLastError());
        CEILINGS_CHECK(cudaDeviceSynchronize());
    };
    run(1);
    return median_of(runs, [&] {
        run(repeats);
        std::vector<double> per_cta;
        for (const long long c : cycles.to_host()) per_cta.push_back(double(c));
        return moved / median(per_cta);
    });
}

template <class T, int mode>
double sm_port_rate(int ctas, std::int64_t bytes, int repeats, int runs) {
    // The largest power of two of elements within `bytes`.
    std::int64_t n = 1;
    while (2 * n * std::int64_t(sizeof(T)) <= bytes && 2 * n <= (std::int64_t(1) << 31)) n *= 2;
    constexpr int threads = 1024;
    DeviceBuffer<T> src{std::size_t(n)};
    DeviceBuffer<T> dst{std::size_t(n)};
    DeviceBuffer<unsigned> sink{std::size_t(ctas)};
    DeviceBuffer<long long> cycles{std::size_t(ctas)};
    CEILINGS_CHECK(cudaMemset(src.get(), 1, std::size_t(n) * sizeof(T)));
    CEILINGS_CHECK(cudaMemset(dst.get(), 0, std::size_t(n) * sizeof(T)));
    const int smem = detail::one_cta_per_sm_smem(sm_port_stream<T, mode>);
    const std::int64_t per_pass = n / (threads * 4) * (threads * 4);
    const double moved = double(per_pass) * sizeof(T) * repeats * (mode == 2 ? 2.0 : 1.0);
    const auto mask = unsigned(n - 1);
    return bytes_per_cta_clock(
        [&](int reps) {
            sm_port_stream<T, mode><<<ctas, threads, smem>>>(src.get(), dst.get(), mask, reps,
                                                             sink.get(), cycles.get());
        },
        cycles, moved, repeats, runs);
}

template <int mode>
double sm_port_by_width(int ctas, int access_bytes, std::int64_t bytes, int repeats, int runs) {
    switch (access_bytes) {
        case 4:
            return sm_port_rate<unsigned, mode>(ctas, bytes, repeats, runs);
        case 8:
            return sm_port_rate<uint2, mode>(ctas, bytes, repeats, runs);
        default:
            return sm_port_rate<uint4, mode>(ctas, bytes, repeats, runs);
    }
}

double sm_port_bytes_per_clk(int ctas, int mode, int access_bytes, std::int64_t bytes, int repeats,
                             int runs) {
    switch (mode) {
        case int(PortMode::read):
            return sm_port_by_width<int(PortMode::read)>(ctas, access_bytes, bytes, repeats, runs);
        case int(PortMode::write):
            return sm_port_by_width<int(PortMode::write)>(ctas, access_bytes, bytes, repeats, runs);
        default:
            return sm_port_by_width<int(PortMode::both)>(ctas, access_bytes, bytes, repeats, runs);
    }
}

template <int mode>
double sm_fragment_rate(int ctas, std::int64_t bytes, int repeats, int runs) {
    std::int64_t n = 1;  // float2 elements: the largest power of two within `bytes`
    while (2 * n * std::int64_t(sizeof(float2)) <= bytes && 2 * n <= (std::int64_t(1) << 31))
        n *= 2;
    constexpr int threads = 1024;
    DeviceBuffer<float2> data{std::size_t(n)};
    DeviceBuffer<unsigned> sink{std::size_t(ctas)};
    DeviceBuffer<long long> cycles{std::size_t(ctas)};
    CEILINGS_CHECK(cudaMemset(data.get(), 0, std::size_t(n) * sizeof(float2)));
    const int smem = detail::one_cta_per_sm_smem(sm_port_fragments<mode>);
    // Rows of 64 float2, 8 per warp instruction, spread over the warps as far as they divide.
    const std::int64_t rows = n / 64, row_groups = rows / 8;
    const std::int64_t per_warp_groups = row_groups / (threads / 32);
    const double moved =
        double(per_warp_groups * (threads / 32) * 8 * 64) * sizeof(float2) * repeats;
    return bytes_per_cta_clock(
        [&](int reps) {
            sm_port_fragments<mode><<<ctas, threads, smem>>>(data.get(), unsigned(n - 1), reps,
                                                             sink.get(), cycles.get());
        },
        cycles, moved, repeats, runs);
}

template <int kBurst>
double cycles_per_burst(int ctas, const DeviceBuffer<float2>& data, unsigned mask, int runs) {
    constexpr int threads = 128, repeats = 200;
    DeviceBuffer<long long> cycles{std::size_t(ctas * threads / 32)};
    DeviceBuffer<float> sink{1};
    // The port benchmarks' timing with a burst for a byte: bursts per clock of the median warp.
    const double bursts_per_clock = bytes_per_cta_clock(
        [&](int reps) {
            warp_fragment_bursts<kBurst>
                <<<ctas, threads>>>(data.get(), mask, reps, cycles.get(), sink.get());
        },
        cycles, repeats, repeats, runs);
    return 1 / bursts_per_clock;
}

double warp_fragment_load_cycles(int ctas, int runs) {
    const unsigned n = 1u << 20;  // 8 MiB of float2
    DeviceBuffer<float2> data{n};
    CEILINGS_CHECK(cudaMemset(data.get(), 0, std::size_t(n) * sizeof(float2)));
    // The latency and the loop cancel in the difference of two burst lengths.
    return (cycles_per_burst<48>(ctas, data, n - 1, runs) -
            cycles_per_burst<4>(ctas, data, n - 1, runs)) /
           44.0;
}

double sm_fragment_bytes_per_clk(int ctas, int mode, std::int64_t bytes, int repeats, int runs) {
    switch (mode) {
        case 0:
            return sm_fragment_rate<0>(ctas, bytes, repeats, runs);
        case 1:
            return sm_fragment_rate<1>(ctas, bytes, repeats, runs);
        default:
            return sm_fragment_rate<3>(ctas, bytes, repeats, runs);
    }
}

}  // namespace flashscope::ceilings
