// How long does a dependent chain take while the SM's tensor cores run wgmma? FlashAttention-3's
// row max is a chain of FMNMX (16 a row, two rows a thread) and two shuffle rounds, run while the
// other warpgroup's GEMMs (and the warpgroup's own P V) are in flight:
// scripts/fa3-iteration-probe.sh measured it at +338 cycles an iteration with two warpgroups and
// +225 with one, where the issue model, which slows only the ALU pipe's rate beside wgmma
// (calibrate's LOP3 beside wgmma), says +62. Here one CTA per SM: warpgroup 0 keeps wgmma in flight
// (two groups of 4), or idles; warpgroup 1 runs `Chains` independent dependent chains per thread of
// max.f32, add.f32, ex2 or shfl.bfly. The wgmma's form varies (SS or RS, N 64 or 128): how much it
// reads from shared memory. Cycles per chain step of warpgroup 1 (clock64, median over SMs): alone
// and beside wgmma, so the latency and the rate of each beside the tensor cores read off directly.
// Built and run by scripts/chain-beside-wgmma-probe.sh (sm_90a).
#include <cuda_runtime.h>

#include <algorithm>
#include <cstdio>
#include <vector>

#include "pipe_ops.cuh"
#include "probe_check.cuh"
#include "turns.cuh"

namespace {

using namespace flashscope::ceilings;

constexpr int k_steps = 4096;  // chain steps per thread
constexpr int k_tensor_trips =
    2048;  // about 0.5 M cycles of wgmma: past the slowest chain (0.26 M)

enum class Op : int { fmnmx, fadd, ex2, shfl };

template <Op kOp>
__device__ __forceinline__ float step(float x, float y) {
    float d;
    if constexpr (kOp == Op::fmnmx) asm volatile("max.f32 %0, %1, %2;" : "=f"(d) : "f"(x), "f"(y));
    if constexpr (kOp == Op::fadd) asm volatile("add.f32 %0, %1, %2;" : "=f"(d) : "f"(x), "f"(y));
    if constexpr (kOp == Op::ex2) asm volatile("ex2.approx.ftz.f32 %0, %1;" : "=f"(d) : "f"(x));
    if constexpr (kOp == Op::shfl)
        asm volatile("shfl.sync.bfly.b32 %0, %1, 1, 0x1f, 0xffffffff;" : "=f"(d) : "f"(x));
    return d;
}

// blockDim 256: warpgroup 0 runs wgmma of `kForm` while `tensor` (else it leaves), warpgroup 1
// the chains; its cycles go to cycles[blockIdx.x].
template <Op kOp, int Chains, WgmmaForm kForm>
__global__ void chain_kernel(int tensor, long long* cycles, float* sink) {
#ifdef CEILINGS_HAVE_WGMMA
    extern __shared__ __align__(128) unsigned char smem[];
    const unsigned base = fill_for_async_proxy(smem, 16384 / 4, [](unsigned) { return 0u; });
    __syncthreads();
    if (threadIdx.x / 128 == 0) {
        if (!tensor) return;
        // Groups for longer than any chain runs.
        const float s = run_wgmma_groups<kForm>(
            base, form_n(kForm) == 64 ? k_tensor_trips : k_tensor_trips / 2);
        if (s == 1.2345f) sink[0] = s;
        return;
    }
    float x[Chains];
#pragma unroll
    for (int c = 0; c < Chains; ++c) x[c] = -0.5f - 0.01f * float(threadIdx.x + c);
    const float y = -1.0f - 0.001f * float(threadIdx.x);
    // Let warpgroup 0's first wgmma start.
    for (int i = 0; i < 64; ++i) asm volatile("nanosleep.u32 16;");
    const long long start = clock64();
    for (int i = 0; i < k_steps; i += 8) {
#pragma unroll
        for (int u = 0; u < 8; ++u)
#pragma unroll
            for (int c = 0; c < Chains; ++c) x[c] = step<kOp>(x[c], y);
    }
    const long long stop = clock64();
    if (threadIdx.x == 128) cycles[blockIdx.x] = stop - start;
    float s = 0;
#pragma unroll
    for (int c = 0; c < Chains; ++c) s += x[c];
    if (s == 1.2345f) sink[0] = s;
#else
    if (tensor < 0)
        sink[0] = float(int(kOp) + Chains + int(kForm) + k_tensor_trips) + float(cycles[0]);
#endif
}

// Two warpgroups a CTA, one CTA per SM; the median over SMs of warpgroup 1's cycles a step.
template <class Kernel>
double cycles_per_step(const TurnRun& run, Kernel kernel, int tensor) {
    kernel<<<run.sms, 256, TurnRun::smem>>>(tensor, run.cycles, run.sink);
    CHECK(cudaGetLastError());
    CHECK(cudaDeviceSynchronize());
    std::vector<long long> c(static_cast<std::size_t>(run.sms));
    CHECK(cudaMemcpy(c.data(), run.cycles, c.size() * sizeof(long long), cudaMemcpyDeviceToHost));
    std::sort(c.begin(), c.end());
    return double(c[c.size() / 2]) / k_steps;
}

template <Op kOp, int Chains, WgmmaForm kForm = WgmmaForm::ss64>
void row(const TurnRun& run, const char* name) {
    auto kernel = chain_kernel<kOp, Chains, kForm>;
    TurnRun::allow_smem(kernel);
    cycles_per_step(run, kernel, 1);  // warm-up
    const double alone = cycles_per_step(run, kernel, 0);
    const double beside = cycles_per_step(run, kernel, 1);
    std::printf("%-6s %d chain%s  alone %6.2f  beside %-13s %6.2f cycles a step (x %.2f)\n", name,
                Chains, Chains > 1 ? "s" : " ", alone, form_name(kForm), beside, beside / alone);
}

}  // namespace

int main() {
    const TurnRun run(2);
    std::printf(
        "# one warpgroup's dependent chains per thread, alone and beside another warpgroup's "
        "wgmma (%d SMs, median)\n",
        run.sms);
    row<Op::fmnmx, 1>(run, "FMNMX");
    row<Op::fmnmx, 2>(run, "FMNMX");
    row<Op::fmnmx, 8>(run, "FMNMX");
    row<Op::fadd, 1>(run, "FADD");
    row<Op::fadd, 8>(run, "FADD");
    row<Op::ex2, 1>(run, "ex2");
    row<Op::ex2, 8>(run, "ex2");
    row<Op::shfl, 1>(run, "shfl");
    row<Op::shfl, 8>(run, "shfl");
    // The same beside the other forms: does what wgmma reads from shared memory set the cost?
    row<Op::shfl, 1, WgmmaForm::rs64>(run, "shfl");
    row<Op::shfl, 8, WgmmaForm::rs64>(run, "shfl");
    row<Op::shfl, 1, WgmmaForm::ss128>(run, "shfl");
    row<Op::shfl, 8, WgmmaForm::ss128>(run, "shfl");
    row<Op::shfl, 1, WgmmaForm::rs128>(run, "shfl");
    row<Op::shfl, 8, WgmmaForm::rs128>(run, "shfl");
    row<Op::fmnmx, 1, WgmmaForm::rs64>(run, "FMNMX");
    row<Op::fmnmx, 8, WgmmaForm::rs64>(run, "FMNMX");
    row<Op::fmnmx, 1, WgmmaForm::rs128>(run, "FMNMX");
    row<Op::fmnmx, 8, WgmmaForm::rs128>(run, "FMNMX");
    row<Op::ex2, 1, WgmmaForm::rs64>(run, "ex2");
    row<Op::fadd, 1, WgmmaForm::rs64>(run, "FADD");
    return 0;
}
