#pragma once
// A GPU as the simulator sees it: SMs, on-chip SRAM, L2, HBM and compute rates.
// Presets live in configs/gpus/*.yaml (embedded at build time); users may pass their own file.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "flashscope/core/dtype.hpp"

namespace flashscope::sim {

struct GpuSpec {
    std::string name;
    std::string description;
    // Streaming multiprocessors
    std::int64_t sm_count = 0;
    double sm_clock_hz = 0;
    std::int64_t registers_per_sm = 0;  // 32-bit registers
    std::int64_t max_registers_per_thread = 0;
    std::int64_t max_threads_per_sm = 0;
    std::int64_t max_threads_per_cta = 0;
    std::int64_t max_ctas_per_sm = 0;
    // On-chip SRAM (shared memory)
    std::int64_t sram_per_sm_bytes = 0;
    std::int64_t sram_per_block_bytes = 0;
    double sram_bytes_per_clk_per_sm = 0;
    // L2
    std::int64_t l2_size_bytes = 0;  // 0 disables the cache: every access goes to HBM
    // What stays resident between passes over a working set (measured: the largest buffer read
    // again at the L2's rate): the cache model's capacity, up to l2_size_bytes.
    std::int64_t l2_resident_bytes = 0;
    // The same for data rewritten every pass (a buffer updated in place): dirty data takes more
    // of the L2 (the cache model weighs a dirty byte l2_resident / l2_resident_updated).
    std::int64_t l2_resident_updated_bytes = 0;
    std::int64_t l2_dirty_limit_bytes = 0;  // dirty data the L2 holds before writing back early
    std::int64_t l2_line_bytes = 0;
    std::int64_t l2_sector_bytes = 0;
    double l2_bytes_per_clk = 0;  // whole chip, SM <- L2 (reads)
    // Whole chip, into the L2: SM stores and the fills of lines read from HBM (H200: 53 % of the
    // read rate; 16 MiB read from HBM and 16 MiB stored take as long as 32 MiB stored).
    double l2_write_bytes_per_clk = 0;
    double l2_latency_cycles = 0;
    // HBM
    std::int64_t hbm_size_bytes = 0;
    double hbm_bytes_per_s = 0;        // reads
    double hbm_write_bytes_per_s = 0;  // writes alone
    double hbm_copy_bytes_per_s = 0;   // half reads, half writes (read + written bytes)
    // Seconds the HBM needs for these bytes: each direction at its own rate, slowed toward the
    // copy rate as the stream mixes reads and writes (read/write turnaround).
    double hbm_seconds(double read_bytes, double write_bytes) const;
    double hbm_latency_s = 0;
    // Time a kernel costs beyond its work: launch and drain, as event timing sees it
    double kernel_launch_s = 0;
    // Seconds the block scheduler takes to start and retire one CTA on an SM: an SM's new CTAs
    // start one after another (measured by empty kernels of many CTAs per SM).
    double cta_launch_s = 0;
    // Compute, per SM per clock
    double tensor_flops_per_clk_fp16 = 0;
    double tensor_flops_per_clk_bf16 = 0;
    double tensor_flops_per_clk_fp32 = 0;  // TF32 tensor cores
    double fp32_flops_per_clk = 0;
    double sfu_ops_per_clk = 0;  // exp2 and friends (MUFU)
    // The SM issue model (sim/src/sm_issue_model.cpp): sub-partitions, issue rate, the rates of the
    // remaining pipes in thread results per clock per SM, and dependent-issue latencies in cycles.
    std::int64_t smsp_per_sm = 0;
    double mma_one_warp_flops_per_clk = 0;  // mma.sync with one warp per sub-partition
    double issue_per_clk_per_smsp = 0;      // warp instructions
    double alu_ops_per_clk = 0;             // INT32, logic, FMNMX
    double cvt_ops_per_clk = 0;             // F32 -> 16-bit pack conversions
    double shfl_ops_per_clk = 0;
    double fp32_latency_cycles = 0;
    double mufu_latency_cycles = 0;
    double mma_latency_cycles = 0;  // m16n8k16 mma.sync
    // The share of a sub-partition's FMA-pipe work that runs hidden under its mma.sync work
    // (1: independent pipes); measured near 0.1 on the H200, where FFMA holds mma.sync back.
    double mma_fma_hidden_share = 1;
    double ldmatrix_latency_cycles = 0;
    double shfl_latency_cycles = 0;
    double barrier_cycles = 0;           // __syncthreads with every warp already arrived
    double l2_atomic_bytes_per_clk = 0;  // whole chip, red.global.add.f32 on distinct addresses
    // One SM's port to the L2, bytes per clock, for loads, stores and reductions in an mma.sync
    // accumulator's layout (8 rows x 32 B a warp instruction): what an SM moves when the chip's L2
    // bandwidth is not the limit (few CTAs, FlashAttention-1's one per head). 0: not modelled.
    double l2_sm_read_bytes_per_clk = 0;
    double l2_sm_write_bytes_per_clk = 0;
    double l2_sm_reduce_bytes_per_clk = 0;
    // ... and for whole lines read 16 B per lane (cp.async's copies of K, V, Q, dO).
    double l2_sm_line_read_bytes_per_clk = 0;
    // Cycles between one warp's successive fragment loads from the L2 when it issues a burst of
    // them without waiting: the rate its outstanding requests allow (0: not modelled).
    double l2_warp_load_cycles = 0;
    // Cycles a returning atomic (ATOMG, the float2 atomicAdd of sm_90) takes to come back from
    // the L2 once the SM's port has sent it; 0 where the kernels' reductions do not return (RED).
    double l2_atomic_latency_cycles = 0;
    // ... and for TMA's bulk reduce-add from shared memory (FlashAttention-3's dQ; 0 before
    // Hopper).
    double l2_sm_bulk_reduce_bytes_per_clk = 0;
    // Hopper's warpgroup MMA (wgmma.mma_async, sm_90a), the tensor instruction of the flash3
    // schedule: dense 16-bit operands with fp32 accumulation, per SM per clock, and the cycles from
    // issuing one m64n128k16 on an idle SM to its result (wgmma.wait_group). 0: the GPU has no
    // wgmma (before Hopper), and schedules that need it refuse the GPU.
    double wgmma_flops_per_clk = 0;
    double wgmma_latency_cycles = 0;
    // The share of a sub-partition's FMA-pipe work (FFMA, FADD, FMUL) that runs hidden under its
    // queued wgmma work: 1 would be independent pipes; measured near 0 on the H100/H200 (the
    // wgmma waits while the FMA pipe runs), so a softmax's FMAs add to a tensor-bound step.
    double wgmma_fma_hidden_share = 0;
    // The rate an FMA-pipe, MUFU or ALU instruction stream keeps while the sub-partition's tensor
    // pipe runs wgmma, as a share of its rate alone (measured beside the same wgmma load).
    double wgmma_fma_rate_share = 1;
    double wgmma_mufu_rate_share = 1;
    double wgmma_alu_rate_share = 1;
    // Cycles until a consumer's mbarrier.try_wait returns on a pipeline barrier whose phase has
    // already completed (the producer's TMA landed before): what the flash3 schedule's warps pay
    // for each K, V, Q or dO block they wait on. 0 where there is no wgmma (no flash3).
    double mbarrier_wait_cycles = 0;
    bool has_wgmma() const { return wgmma_flops_per_clk > 0; }

    double tensor_flops_per_clk(DType dtype) const;
    double l2_bytes_per_s() const { return l2_bytes_per_clk * sm_clock_hz; }
    // What the L2 takes for `sm_reads` bytes read by SMs (`fills` of them brought from HBM) and
    // `sm_writes` stored: reads go out at the read rate while stores and fills come in at the
    // write rate.
    double l2_seconds(double sm_reads, double sm_writes, double fills) const;
    bool l2_enabled() const { return l2_size_bytes > 0; }

    // Throws ConfigError naming the first key whose value is impossible.
    void validate() const;
};

// Parses the YAML schema of configs/gpus/*.yaml. Unknown or missing keys are errors naming the
// key; `origin` (a file name) prefixes messages.
GpuSpec parse_gpu_yaml(std::string_view yaml_text, std::string_view origin);
GpuSpec load_gpu_file(const std::string& path);

// Built-in presets, embedded from configs/gpus/ at build time.
std::vector<std::string> gpu_preset_names();
std::string_view gpu_preset_yaml(std::string_view name);  // throws ConfigError if unknown
GpuSpec gpu_preset(std::string_view name);
// A preset name, or a path to a YAML file (anything ending in .yaml/.yml).
GpuSpec resolve_gpu(const std::string& name_or_path);

}  // namespace flashscope::sim
