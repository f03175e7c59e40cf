#pragma once
// The microbenchmarks behind `flashscope calibrate` and bench/ceilings/gpu_ceilings (CUDA builds).
// Per-SM rates and latencies are clock64 cycles counted inside the kernel: rates run many
// independent chains in enough warps, one CTA per SM on every SM; latencies run one dependent
// chain in one warp. Chip-wide bandwidths are CUDA-event times converted with the measured clock.
// Every function returns the median of `runs` runs and throws std::runtime_error on a CUDA error.
#include <cstdint>
#include <string>
#include <vector>

namespace flashscope::ceilings {

struct DeviceFacts {
    std::string name;  // "NVIDIA H200"
    int cc_major = 0, cc_minor = 0;
    int sm_count = 0;
    int registers_per_sm = 0;
    int max_threads_per_sm = 0;
    int max_threads_per_cta = 0;
    int max_ctas_per_sm = 0;
    std::int64_t sram_per_sm_bytes = 0;
    std::int64_t sram_per_block_optin_bytes = 0;
    std::int64_t l2_bytes = 0;
    std::int64_t global_bytes = 0;
    int clock_attribute_mhz = 0;  // cudaDevAttrClockRate: the peak, not the clock under load
};

bool device_present();  // never throws
DeviceFacts device_facts(int device = 0);

enum class MmaType { bf16, fp16, tf32 };

// --- per SM, in results per SM clock (pipes.cu)
double mma_sync_flops_per_clk(MmaType type, int warps, int runs);  // m16n8k16 (tf32: m16n8k8)
double ffma_flops_per_clk(int runs);                               // 2 per FFMA
double mufu_ex2_per_clk(int runs);                                 // thread results
double alu_lop3_per_clk(int runs);                                 // thread results
double cvt_bf16x2_per_clk(int runs);      // cvt.rn.bf16x2.f32: one packed pair per thread result
double shfl_per_clk(int runs);            // shfl.sync.bfly thread results
double ldmatrix_bytes_per_clk(int runs);  // ldmatrix.x4, conflict-free
double lds128_bytes_per_clk(int runs);    // ld.shared.v4.u32, conflict-free
// Warp instructions issued per clock per sub-partition, 2 FFMA : 1 LOP3 (the two pipes together
// could take more than one instruction per clock; the scheduler's issue slot is what limits).
double issue_per_clk_per_smsp(int smsp_per_sm, int runs);

// --- dependent-chain latencies in SM cycles, one warp (latency.cu)
double ffma_latency(int runs);
double mufu_ex2_latency(int runs);
double mma_sync_latency(int runs);  // m16n8k16 bf16, accumulator chain
double alu_lop3_latency(int runs);
double ldmatrix_latency(int runs);  // ldmatrix.x4 load-to-use, the address add taken off
double shfl_latency(int runs);
// mbarrier.try_wait on a barrier whose phase has completed (sm_90 and later): cycles per wait.
double mbarrier_wait_latency(int runs);
double barrier_cycles(int warps, int runs);  // back-to-back bar.sync of one CTA

// m64n128k16 bf16 wgmma, A in registers, B in shared memory, two warpgroups per SM (wgmma.cu,
// sm_90a): flops per clock per SM. Throws on a card without sm_90a code (not a Hopper).
double wgmma_flops_per_clk(int runs);
// The same wgmma, one warpgroup, each waited for (commit, wait_group 0) before the next: cycles
// from issue to result, the latency the flash3 schedule's issue model waits on.
double wgmma_latency(int runs);
// SM clock in Hz while every SM runs the wgmma rate benchmark (clock64 cycles / event time): the
// clock a wgmma kernel (flash3, cuDNN on Hopper) runs at, which power limits may hold below
// sm_clock_hz_under_load's mma.sync clock. Zero operands, or random ones (more power drawn).
double sm_clock_hz_under_wgmma(int runs, bool random_operands = false);
// Whether a tensor load keeps its rate while the SM's other warps run the softmax's instructions
// (overlap_parts.cuh): median cycles per SM of the tensor part alone, of the other warps'
// independent ex2 / FFMA / FADD / LOP3 chains alone, and of both at once.
struct PipeOverlap {
    double tensor_alone = 0, other_alone = 0, together = 0;
    // Each part's own cycles when both run (0 where the benchmark times only the whole).
    double tensor_together = 0, other_together = 0;
    // The share of the shorter part that ran hidden under the longer one: 1 when both at once
    // take the longer part's time, 0 when they take the sum.
    double hidden_share() const {
        const double shorter = tensor_alone < other_alone ? tensor_alone : other_alone;
        return shorter > 0 ? (tensor_alone + other_alone - together) / shorter : 0;
    }
};
enum class BesideOp { ex2, ffma, fadd, lop3 };
// Two warpgroups of wgmma m64n128k16 chains beside two warpgroups of `op` (wgmma_overlap.cu).
PipeOverlap wgmma_overlap(BesideOp op, int runs);
// Four warps (one per sub-partition) of bf16 mma.sync m16n8k16 chains beside four warps of `op`
// (mma_overlap.cu, every card with mma.sync): whether flash2's softmax hides under its GEMMs.
PipeOverlap mma_sync_overlap(BesideOp op, int runs);
// The same warpgroups do both, as FlashAttention-3's consumers do: each issues a chain of wgmma,
// runs ex2 while it is in flight, then waits for it.
PipeOverlap wgmma_interleaved_with_ex2(int runs);
// m64n128k16 bf16 wgmma with A from shared memory too ("SS"), two warpgroups per SM: flop/clk/SM.
double wgmma_ss_flops_per_clk(int runs);

// --- memory system (memory.cu)
// SM clock in Hz under a full-chip mma.sync load: clock64 cycles / event time.
double sm_clock_hz_under_load(int runs);
double kernel_launch_seconds(int runs);  // event time of an empty kernel, launch queued ahead
// Event time of an empty kernel of `ctas` CTAs of `threads` threads: past the launch, what the
// block scheduler needs to start and retire that many CTAs.
double empty_ctas_seconds(int ctas, int threads, int runs);
double chase_cycles(std::int64_t bytes, std::int64_t steps, int runs);  // per dependent load
// Per dependent atomicAdd(float2) whose result the next hop needs: a returning atomic's round trip.
double atomic_chase_cycles(std::int64_t bytes, std::int64_t steps, int runs);
std::vector<double> chase_per_hop_cycles(std::int64_t bytes, int hops);    // each load, L2-warm
double read_bytes_per_second(std::int64_t bytes, int repeats, int runs);   // ld.global.cg
double write_bytes_per_second(std::int64_t bytes, int repeats, int runs);  // st.global.cs
// One pass of st.global.cg over `small` and over `large` bytes (both L2-resident), each launch
// held as validate times kernels: the bytes between them over the time between them, the rate a
// kernel's stores enter the L2 (its launch, CTA starts and drain cancel).
double l2_store_pass_bytes_per_second(std::int64_t small, std::int64_t large, int runs);
// Each thread's 16 B loaded (ld.global.cg), changed and stored back (st.global.cg), `repeats`
// passes over `bytes`: read plus written bytes per second. Once the buffer no longer stays in
// the L2 between passes, each pass reads it from HBM and writes it back.
double update_bytes_per_second(std::int64_t bytes, int repeats, int runs);
double copy_bytes_per_second(std::int64_t bytes, int repeats, int runs);  // read + written
double red_add_f32_bytes_per_second(std::int64_t bytes, int repeats, int runs);
// One CTA of 1024 threads on each of `ctas` SMs streams `bytes` (L2-resident) `repeats` times
// through its SM's port to the L2 in accesses of `access_bytes` (4, 8 or 16) per thread: bytes per
// clock per SM (clock64), the median CTA's. mode 0 reads (ld.global.cg), 1 writes (st.global.cg),
// 2 both (read and written bytes counted).
double sm_port_bytes_per_clk(int ctas, int mode, int access_bytes, std::int64_t bytes, int repeats,
                             int runs);
// The same with an mma.sync accumulator's layout in global memory: 8 B per lane over 8 rows of
// 512 B per warp instruction (FlashAttention-1's running output, -2's dQ). mode 0 loads
// (ld.global.cg), 1 stores (st.global.cg), 2 atomicAdd of float2: bytes per clock per SM.
double sm_fragment_bytes_per_clk(int ctas, int mode, std::int64_t bytes, int repeats, int runs);
// One warp per sub-partition (one CTA of 128 threads on each of `ctas` SMs) loading bursts of such
// fragments without waiting for them: clock64 cycles between one warp's successive loads, from
// bursts of 48 and of 4 (the latency cancels).
double warp_fragment_load_cycles(int ctas, int runs);
// TMA bulk reduce-add of 32 KiB fp32 blocks (FlashAttention-3's dQ) from one CTA on each of
// `ctas` SMs into an L2-resident buffer: bytes per clock per SM; `wait_each` waits for each
// block's completion before the next. 0 without sm_90a (no kernel image: check the error).
double bulk_reduce_bytes_per_clk(int ctas, bool wait_each, int runs);

}  // namespace flashscope::ceilings
