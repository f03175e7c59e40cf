#pragma once
// Hardware counter names (Hopper GH100 and Ampere GA100 spelling). Sectors are 32 bytes.
#include <string_view>

namespace flashscope::profiler::counters {

inline constexpr std::string_view dram_read_bytes = "dram__bytes_read.sum";
inline constexpr std::string_view dram_write_bytes = "dram__bytes_write.sum";
inline constexpr std::string_view l2_tex_read_sectors = "lts__t_sectors_srcunit_tex_op_read.sum";
inline constexpr std::string_view l2_tex_write_sectors = "lts__t_sectors_srcunit_tex_op_write.sum";
// Reductions (RED, e.g. atomicAdd without a return value) and atomics are not op_write sectors.
inline constexpr std::string_view l2_tex_red_sectors = "lts__t_sectors_srcunit_tex_op_red.sum";
inline constexpr std::string_view l2_tex_atom_sectors = "lts__t_sectors_srcunit_tex_op_atom.sum";
// Read sectors the SMs' L1TEX units received from the L2 over the crossbar. The L2-side count above
// is 7 % lower for the same kernel (Nsight Compute, flash2 fwd d 128: 2022 vs 2182 MB, while the
// kernel's loads add up to 2181 MB; docs/VALIDATION.md item 5), so l2_read_bytes prefers this one,
// less the atomics' sectors (a returning atomic's values cross back as read sectors).
inline constexpr std::string_view l1tex_received_read_sectors =
    "l1tex__m_xbar2l1tex_read_sectors.sum";
inline constexpr std::string_view duration_ns = "gpu__time_duration.sum";
inline constexpr std::string_view sm_cycles_max = "sm__cycles_elapsed.max";
inline constexpr std::string_view sm_clock_hz = "sm__cycles_elapsed.avg.per_second";

inline constexpr std::string_view shared_ld_wavefronts =
    "l1tex__data_pipe_lsu_wavefronts_mem_shared_op_ld.sum";
inline constexpr std::string_view shared_st_wavefronts =
    "l1tex__data_pipe_lsu_wavefronts_mem_shared_op_st.sum";
inline constexpr std::string_view shared_ld_bank_conflicts =
    "l1tex__data_bank_conflicts_pipe_lsu_mem_shared_op_ld.sum";
inline constexpr std::string_view shared_st_bank_conflicts =
    "l1tex__data_bank_conflicts_pipe_lsu_mem_shared_op_st.sum";

// Shared-memory bytes read by warpgroup MMA (wgmma operands), which bypass the LSU wavefronts.
inline constexpr std::string_view shared_gmma_bytes = "sm__sass_data_bytes_mem_shared_op_gmma.sum";

// Global -> shared copies that bypass the register file; their shared-memory writes are not
// shared-store wavefronts, so they are added to sram_write_bytes separately.
inline constexpr std::string_view cp_async_bytes_cached =
    "l1tex__m_xbar2l1tex_read_bytes_mem_global_op_ldgsts_cache_access.sum";
inline constexpr std::string_view tma_load_bytes =
    "l1tex__m_xbar2l1tex_read_bytes_mem_global_op_tma_ld.sum";

inline constexpr std::string_view tensor_hmma_cycles = "sm__pipe_tensor_op_hmma_cycles_active.sum";
inline constexpr std::string_view tensor_hmma_inst = "sm__inst_executed_pipe_tensor_op_hmma.sum";
inline constexpr std::string_view tensor_cycles = "sm__pipe_tensor_cycles_active.sum";
inline constexpr std::string_view tensor_gmma_inst = "sm__inst_executed_pipe_tensor_op_gmma.sum";

// Tensor-core operations by input type, mma.sync (HMMA) and warpgroup MMA (HGMMA) alike.
inline constexpr std::string_view tensor_ops_bf16 = "sm__ops_path_tensor_src_bf16_dst_fp32.sum";
inline constexpr std::string_view tensor_ops_fp16 = "sm__ops_path_tensor_src_fp16.sum";

// Executed warp instructions per pipe and class (Nsight Compute metric names; smsp__ counters
// summed over the sub-partitions equal the SM's). The ldmatrix and shuffle counts are per SASS
// opcode. Local-memory bytes through L1 are the register spills' traffic.
inline constexpr std::string_view inst_total = "smsp__inst_executed.sum";
inline constexpr std::string_view inst_fma = "smsp__inst_executed_pipe_fma.sum";
inline constexpr std::string_view inst_alu = "smsp__inst_executed_pipe_alu.sum";
inline constexpr std::string_view inst_xu = "smsp__inst_executed_pipe_xu.sum";
inline constexpr std::string_view inst_lsu = "smsp__inst_executed_pipe_lsu.sum";
inline constexpr std::string_view inst_ldsm = "smsp__sass_inst_executed_op_ldsm.sum";
inline constexpr std::string_view inst_shuffle = "smsp__sass_inst_executed_op_shfl.sum";
inline constexpr std::string_view local_load_bytes = "l1tex__t_bytes_pipe_lsu_mem_local_op_ld.sum";
inline constexpr std::string_view local_store_bytes = "l1tex__t_bytes_pipe_lsu_mem_local_op_st.sum";

// Not a hardware counter: DRAM bytes written by the L2 drain range that follows a kernel's range,
// i.e. the kernel's stores still dirty in L2 when it ended (see L2Flusher::drain).
inline constexpr std::string_view l2_writeback_after = "flashscope__dram_bytes_write_after_range";

// Bytes one shared-memory wavefront moves at most: 32 banks x 4 bytes.
inline constexpr double k_shared_wavefront_bytes = 128.0;
inline constexpr double k_sector_bytes = 32.0;

}  // namespace flashscope::profiler::counters
