// Per-SM throughput of each pipe the SM issue model knows: many independent chains per thread and
// enough warps to hide each pipe's latency, one CTA per SM on every SM, clock64 cycles per CTA.
#include <cuda_bf16.h>

#include "cuda_check.cuh"
#include "flashscope/ceilings/microbenchmarks.hpp"
#include "pipe_ops.cuh"

namespace flashscope::ceilings {

namespace {

using detail::per_sm_rate;

constexpr int k_unroll = 8;  // chain steps per loop trip: the loop's own instructions stay ~1 %

// MMA_CHAINS independent accumulators per warp.
constexpr int k_mma_chains = 8;
template <MmaType Type>
__global__ void mma_rate(int iters, unsigned seed, unsigned* sink, long long* cycles) {
    unsigned a[4] = {seed, seed, seed, seed}, b[2] = {seed, seed};
    float c[k_mma_chains][4] = {};
    CEILINGS_START();
    for (int it = 0; it < iters; ++it) {
#pragma unroll
        for (int k = 0; k < k_mma_chains; ++k) mma_step<Type>(c[k], a, b);
    }
    CEILINGS_STOP(cycles);
    float s = 0;
#pragma unroll
    for (int k = 0; k < k_mma_chains; ++k) s += c[k][0] + c[k][1] + c[k][2] + c[k][3];
    if (s == 1.25f) sink[blockIdx.x] = 1;
}

constexpr int k_ffma_chains = 16;
__global__ void ffma_rate(int iters, float a, float b, unsigned* sink, long long* cycles) {
    float x[k_ffma_chains];
#pragma unroll
    for (int k = 0; k < k_ffma_chains; ++k) x[k] = float(threadIdx.x + k);
    CEILINGS_START();
    for (int it = 0; it < iters; ++it) {
#pragma unroll
        for (int u = 0; u < k_unroll; ++u)
#pragma unroll
            for (int k = 0; k < k_ffma_chains; ++k) x[k] = ffma(x[k], a, b);
    }
    CEILINGS_STOP(cycles);
    float s = 0;
#pragma unroll
    for (int k = 0; k < k_ffma_chains; ++k) s += x[k];
    if (s == 1.25f) sink[blockIdx.x] = 1;
}

constexpr int k_mufu_chains = 8;
__global__ void mufu_rate(int iters, float start, unsigned* sink, long long* cycles) {
    float x[k_mufu_chains];
#pragma unroll
    for (int k = 0; k < k_mufu_chains; ++k) x[k] = start - float(k);
    CEILINGS_START();
    for (int it = 0; it < iters; ++it) {
#pragma unroll
        for (int u = 0; u < k_unroll; ++u)
#pragma unroll
            for (int k = 0; k < k_mufu_chains; ++k) x[k] = ex2(x[k]);
    }
    CEILINGS_STOP(cycles);
    float s = 0;
#pragma unroll
    for (int k = 0; k < k_mufu_chains; ++k) s += x[k];
    if (s == 1.25f) sink[blockIdx.x] = 1;
}

// Groups of three words, each LOP3 a function of all three (xor3, majority): nothing folds.
constexpr int k_alu_groups = 4;
__global__ void alu_rate(int iters, unsigned seed, unsigned* sink, long long* cycles) {
    unsigned v[k_alu_groups][3];
#pragma unroll
    for (int g = 0; g < k_alu_groups; ++g)
        for (int j = 0; j < 3; ++j) v[g][j] = seed * (threadIdx.x + 3 * g + j + 1);
    CEILINGS_START();
    for (int it = 0; it < iters; ++it) {
#pragma unroll
        for (int u = 0; u < k_unroll; ++u)
#pragma unroll
            for (int g = 0; g < k_alu_groups; ++g) lop3_round(v[g]);
    }
    CEILINGS_STOP(cycles);
    unsigned s = 0;
#pragma unroll
    for (int g = 0; g < k_alu_groups; ++g) s ^= v[g][0] ^ v[g][1] ^ v[g][2];
    if (s == 0x12345u) sink[blockIdx.x] = s;
}

constexpr int k_cvt_chains = 8;
__global__ void cvt_rate(int iters, float y, unsigned* sink, long long* cycles) {
    float x[k_cvt_chains];
#pragma unroll
    for (int k = 0; k < k_cvt_chains; ++k) x[k] = float(threadIdx.x + k);
    CEILINGS_START();
    for (int it = 0; it < iters; ++it) {
#pragma unroll
        for (int u = 0; u < k_unroll; ++u)
#pragma unroll
            for (int k = 0; k < k_cvt_chains; ++k) x[k] = __uint_as_float(pack_bf16x2(x[k], y));
    }
    CEILINGS_STOP(cycles);
    unsigned s = 0;
#pragma unroll
    for (int k = 0; k < k_cvt_chains; ++k) s ^= __float_as_uint(x[k]);
    if (s == 0x12345u) sink[blockIdx.x] = s;
}

constexpr int k_shfl_chains = 8;
__global__ void shfl_rate(int iters, unsigned seed, unsigned* sink, long long* cycles) {
    unsigned x[k_shfl_chains];
#pragma unroll
    for (int k = 0; k < k_shfl_chains; ++k) x[k] = seed + threadIdx.x + k;
    CEILINGS_START();
    for (int it = 0; it < iters; ++it) {
#pragma unroll
        for (int u = 0; u < k_unroll; ++u)
#pragma unroll
            for (int k = 0; k < k_shfl_chains; ++k) x[k] = shfl_bfly(x[k]);
    }
    CEILINGS_STOP(cycles);
    unsigned s = 0;
#pragma unroll
    for (int k = 0; k < k_shfl_chains; ++k) s ^= x[k];
    if (s == 0x12345u) sink[blockIdx.x] = s;
}

// Four independent 512-byte loads per warp per step over conflict-free rows; the offset moves by
// a run-time step (0) so that the compiler cannot hoist the loads out of the loop.
constexpr int k_smem_loads = 4;
template <bool Ldmatrix>
__global__ void smem_rate(int iters, unsigned step, unsigned* sink, long long* cycles) {
    extern __shared__ uint4 smem[];
    const unsigned warp = threadIdx.x / 32, lane = threadIdx.x % 32;
    for (unsigned i = threadIdx.x; i < blockDim.x * k_smem_loads * 2; i += blockDim.x)
        smem[i] = make_uint4(i, i + 1, i + 2, i + 3);
    const unsigned base = shared_address(smem) + (warp * k_smem_loads * 32 + lane) * 16;
    unsigned acc[k_smem_loads] = {};
    unsigned offset = 0;
    CEILINGS_START();
    for (int it = 0; it < iters; ++it) {
#pragma unroll
        for (int u = 0; u < k_unroll; ++u) {
#pragma unroll
            for (int j = 0; j < k_smem_loads; ++j) {
                const uint4 r = Ldmatrix ? ldmatrix_x4(base + offset + j * 512)
                                         : lds128(base + offset + j * 512);
                acc[j] = xor3(acc[j], r.x, r.y);
                acc[j] = xor3(acc[j], r.z, r.w);
            }
            offset = (offset + step) & 0x3ff0u;
        }
    }
    CEILINGS_STOP(cycles);
    if ((acc[0] ^ acc[1] ^ acc[2] ^ acc[3]) == 0x12345u) sink[blockIdx.x] = acc[0];
}

// Twelve FFMA chains and two LOP3 groups (six LOP3) per step: 2 FFMA : 1 LOP3.
__global__ void issue_rate(int iters, float a, float b, unsigned* sink, long long* cycles) {
    float x[12];
    unsigned v[2][3];
#pragma unroll
    for (int k = 0; k < 12; ++k) x[k] = float(threadIdx.x + k);
#pragma unroll
    for (int g = 0; g < 2; ++g)
        for (int j = 0; j < 3; ++j) v[g][j] = threadIdx.x * 7 + 3 * g + j;
    CEILINGS_START();
    for (int it = 0; it < iters; ++it) {
#pragma unroll
        for (int u = 0; u < k_unroll; ++u) {
#pragma unroll
            for (int k = 0; k < 6; ++k) x[k] = ffma(x[k], a, b);
            lop3_round(v[0]);
#pragma unroll
            for (int k = 6; k < 12; ++k) x[k] = ffma(x[k], a, b);
            lop3_round(v[1]);
        }
    }
    CEILINGS_STOP(cycles);
    float s = 0;
#pragma unroll
    for (int k = 0; k < 12; ++k) s += x[k];
    if (s == 1.25f || (v[0][0] ^ v[1][1]) == 0x12345u) sink[blockIdx.x] = 1;
}

constexpr int k_rate_warps = 16;  // four per sub-partition
constexpr int k_rate_threads = 32 * k_rate_warps;

}  // namespace

double mma_sync_flops_per_clk(MmaType type, int warps, int runs) {
    const int iters = 4096;
    const double per_mma = type == MmaType::tf32 ? 2.0 * 16 * 8 * 8 : 2.0 * 16 * 8 * 16;
    const double flops = per_mma * k_mma_chains * iters * warps;
    const unsigned one = 0x3f803f80u;  // a pair of 16-bit ones (bf16); any bits do for timing
    switch (type) {
        case MmaType::bf16:
            return per_sm_rate(mma_rate<MmaType::bf16>, 32 * warps, flops, runs, iters, one);
        case MmaType::fp16:
            return per_sm_rate(mma_rate<MmaType::fp16>, 32 * warps, flops, runs, iters, one);
        case MmaType::tf32:
            return per_sm_rate(mma_rate<MmaType::tf32>, 32 * warps, flops, runs, iters, one);
    }
    return 0;
}

double ffma_flops_per_clk(int runs) {
    const int iters = 2048;
    const double flops = 2.0 * k_ffma_chains * k_unroll * iters * k_rate_threads;
    return per_sm_rate(ffma_rate, k_rate_threads, flops, runs, iters, 0.999f, 1e-3f);
}

double mufu_ex2_per_clk(int runs) {
    const int iters = 512;
    const double ops = double(k_mufu_chains) * k_unroll * iters * k_rate_threads;
    return per_sm_rate(mufu_rate, k_rate_threads, ops, runs, iters, -1.0f);
}

double alu_lop3_per_clk(int runs) {
    const int iters = 1024;
    const double ops = 3.0 * k_alu_groups * k_unroll * iters * k_rate_threads;
    return per_sm_rate(alu_rate, k_rate_threads, ops, runs, iters, 0x9e3779b9u);
}

double cvt_bf16x2_per_clk(int runs) {
    const int iters = 512;
    const double ops = double(k_cvt_chains) * k_unroll * iters * k_rate_threads;
    return per_sm_rate(cvt_rate, k_rate_threads, ops, runs, iters, 0.75f);
}

double shfl_per_clk(int runs) {
    const int iters = 512;
    const double ops = double(k_shfl_chains) * k_unroll * iters * k_rate_threads;
    return per_sm_rate(shfl_rate, k_rate_threads, ops, runs, iters, 7u);
}

double ldmatrix_bytes_per_clk(int runs) {
    const int iters = 1024;
    const double bytes = 512.0 * k_smem_loads * k_unroll * iters * k_rate_warps;
    return per_sm_rate(smem_rate<true>, k_rate_threads, bytes, runs, iters, 0u);
}

double lds128_bytes_per_clk(int runs) {
    const int iters = 1024;
    const double bytes = 512.0 * k_smem_loads * k_unroll * iters * k_rate_warps;
    return per_sm_rate(smem_rate<false>, k_rate_threads, bytes, runs, iters, 0u);
}

double issue_per_clk_per_smsp(int smsp_per_sm, int runs) {
    const int iters = 2048;
    const double warp_instructions = 18.0 * k_unroll * iters * k_rate_warps;
    return per_sm_rate(issue_rate, k_rate_threads, warp_instructions, runs, iters, 0.999f, 1e-3f) /
           smsp_per_sm;
}

}  // namespace flashscope::ceilings
