// Dependent-issue latencies: one warp runs one chain in which every instruction needs the result
// of the one before; cycles per instruction is the latency the SM issue model waits on.
#include "cuda_check.cuh"
#include "flashscope/ceilings/microbenchmarks.hpp"
#include "pipe_ops.cuh"

namespace flashscope::ceilings {

namespace {

using detail::cycles_per_op;

constexpr int k_chain_unroll = 32;
constexpr int k_chain_iters = 256;
constexpr double k_chain_ops = double(k_chain_unroll) * k_chain_iters;

__global__ void ffma_chain(int iters, float a, float b, unsigned* sink, long long* cycles) {
    float x = float(threadIdx.x);
    CEILINGS_START();
    for (int it = 0; it < iters; ++it) {
#pragma unroll
        for (int u = 0; u < k_chain_unroll; ++u) x = ffma(x, a, b);
    }
    CEILINGS_STOP(cycles);
    if (x == 1.25f) sink[0] = 1;
}

__global__ void mufu_chain(int iters, float start, unsigned* sink, long long* cycles) {
    float x = start;
    CEILINGS_START();
    for (int it = 0; it < iters; ++it) {
#pragma unroll
        for (int u = 0; u < k_chain_unroll; ++u) x = ex2(x);
    }
    CEILINGS_STOP(cycles);
    if (x == 1.25f) sink[0] = 1;
}

__global__ void mma_chain(int iters, unsigned seed, unsigned* sink, long long* cycles) {
    const unsigned a[4] = {seed, seed, seed, seed}, b[2] = {seed, seed};
    float c[4] = {};
    CEILINGS_START();
    for (int it = 0; it < iters; ++it) {
#pragma unroll
        for (int u = 0; u < k_chain_unroll; ++u) mma_step<MmaType::bf16>(c, a, b);
    }
    CEILINGS_STOP(cycles);
    if (c[0] + c[1] + c[2] + c[3] == 1.25f) sink[0] = 1;
}

// Every LOP3 of a round depends on the one before (lop3_round), so the chain is serial.
__global__ void alu_chain(int iters, unsigned seed, unsigned* sink, long long* cycles) {
    unsigned v[3] = {seed, seed * 3, seed * 5};
    CEILINGS_START();
    for (int it = 0; it < iters; ++it) {
#pragma unroll
        for (int u = 0; u < k_chain_unroll / 4; ++u) {
            lop3_round(v);
            v[0] = xor3(v[0], v[1], v[2]);  // a fourth, to make 32 per trip
        }
    }
    CEILINGS_STOP(cycles);
    if ((v[0] ^ v[1] ^ v[2]) == 0x12345u) sink[0] = v[0];
}

__global__ void shfl_chain(int iters, unsigned seed, unsigned* sink, long long* cycles) {
    unsigned x = seed + threadIdx.x;
    CEILINGS_START();
    for (int it = 0; it < iters; ++it) {
#pragma unroll
        for (int u = 0; u < k_chain_unroll; ++u) x = shfl_bfly(x);
    }
    CEILINGS_STOP(cycles);
    if (x == 0x12345u) sink[0] = x;
}

// Shared memory holds zeros: each ldmatrix's first word (0) is added to the next address, so
// the next load waits for this one. One integer add per hop, taken off by the caller.
__global__ void ldmatrix_chain(int iters, unsigned zero, unsigned* sink, long long* cycles) {
    __shared__ uint4 tile[32 * 4];
    for (unsigned i = threadIdx.x; i < 32 * 4; i += blockDim.x) tile[i] = make_uint4(0, 0, 0, 0);
    unsigned address = shared_address(tile) + (threadIdx.x % 32) * 16 + zero;
    unsigned acc = 0;
    CEILINGS_START();
    for (int it = 0; it < iters; ++it) {
#pragma unroll
        for (int u = 0; u < k_chain_unroll; ++u) {
            const uint4 r = ldmatrix_x4(address);
            address += r.x;
            acc ^= r.w;
        }
    }
    CEILINGS_STOP(cycles);
    if ((acc ^ address) == 0x12345u) sink[0] = acc;
}

// A pipeline barrier (mbarrier, sm_90) whose phase has completed, as a FlashAttention-3 consumer
// finds the K or V block the producer loaded long before: each try_wait returns at once, and the
// branch on its result keeps the next one from issuing. Elsewhere the kernel only times its loop.
__global__ void mbarrier_wait_chain(int iters, unsigned* sink, long long* cycles) {
    __shared__ unsigned long long bar;
    const unsigned address = shared_address(&bar);
#if __CUDA_ARCH__ >= 900
    if (threadIdx.x == 0) {
        asm volatile("mbarrier.init.shared::cta.b64 [%0], 1;" ::"r"(address) : "memory");
        asm volatile("mbarrier.arrive.shared::cta.b64 _, [%0];" ::"r"(address) : "memory");
    }
#endif
    CEILINGS_START();
    for (int it = 0; it < iters; ++it) {
#pragma unroll
        for (int u = 0; u < k_chain_unroll; ++u) {
#if __CUDA_ARCH__ >= 900
            asm volatile(
                "{\n.reg .pred done;\nwait_%=:\n"
                "mbarrier.try_wait.parity.shared::cta.b64 done, [%0], 0;\n"
                "@!done bra wait_%=;\n}\n" ::"r"(address)
                : "memory");
#endif
        }
    }
    CEILINGS_STOP(cycles);
    if (iters < 0) sink[0] = address;
}

__global__ void barrier_chain(int iters, unsigned* sink, long long* cycles) {
    CEILINGS_START();
    for (int it = 0; it < iters; ++it) {
#pragma unroll
        for (int u = 0; u < k_chain_unroll; ++u) __syncthreads();
    }
    CEILINGS_STOP(cycles);
    if (iters < 0) sink[0] = 1;
}

}  // namespace

double ffma_latency(int runs) {
    return cycles_per_op(ffma_chain, 32, k_chain_ops, runs, k_chain_iters, 0.999f, 1e-3f);
}

double mufu_ex2_latency(int runs) {
    return cycles_per_op(mufu_chain, 32, k_chain_ops, runs, k_chain_iters, -1.0f);
}

double mma_sync_latency(int runs) {
    return cycles_per_op(mma_chain, 32, k_chain_ops, runs, k_chain_iters, 0x3f803f80u);
}

double alu_lop3_latency(int runs) {
    return cycles_per_op(alu_chain, 32, k_chain_ops, runs, k_chain_iters, 0x9e3779b9u);
}

double shfl_latency(int runs) {
    return cycles_per_op(shfl_chain, 32, k_chain_ops, runs, k_chain_iters, 7u);
}

double ldmatrix_latency(int runs) {
    const double per_hop = cycles_per_op(ldmatrix_chain, 32, k_chain_ops, runs, k_chain_iters, 0u);
    return per_hop - alu_lop3_latency(runs);
}

double mbarrier_wait_latency(int runs) {
    return cycles_per_op(mbarrier_wait_chain, 32, k_chain_ops, runs, k_chain_iters);
}

double barrier_cycles(int warps, int runs) {
    return cycles_per_op(barrier_chain, 32 * warps, k_chain_ops, runs, k_chain_iters);
}

}  // namespace flashscope::ceilings
