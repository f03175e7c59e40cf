#include "published_tiles.hpp"

#include <algorithm>

namespace flashscope::sim::detail {
namespace {

constexpr std::int64_t k_kib = 1024;

// Ampere consumer parts (sm86, sm89) opt in to at most 99 KiB of shared memory per block, the
// A100 (sm80) to 163 KiB, Hopper (sm90) to 227 KiB (CUDA C++ Programming Guide, "Technical
// Specifications per Compute Capability"). FlashAttention-2 tells sm86/sm89 apart by compute
// capability; a GPU description here has no compute capability, and this limit separates the
// same parts.
bool small_smem_ampere(const GpuSpec& gpu) {
    return gpu.sram_per_block_bytes < 100 * k_kib;
}

TileConfig tile(std::int64_t block_m, std::int64_t block_n, std::int64_t warps) {
    return TileConfig{block_m, block_n, warps, 0};
}

}  // namespace

// Dao-AILab/flash-attention v2.x, csrc/flash_attn/src/flash_fwd_launch_template.h,
// run_mha_fwd_hdim{32,64,96,128,192,256} without dropout: the sm80 kernel, which A100 and H100
// both run. Head dims between those classes take the next class up, as the library rounds d up.
// (hdim160 and hdim224 were not read; d in (128, 192] uses hdim192's tile.)
TileConfig fa2_forward_tile(const GpuSpec& gpu, const AttentionProblem& problem) {
    const std::int64_t d = problem.head_dim;
    if (d <= 64) return tile(128, 128, 4);  // hdim32 and hdim64
    if (d <= 128) {
        // sm86/sm89: 64 x 64 for causal (square), 128 x 32 otherwise (2 CTAs per SM)
        if (small_smem_ampere(gpu)) return problem.causal ? tile(64, 64, 4) : tile(128, 32, 4);
        return tile(128, 64, 4);  // hdim96 and hdim128 on A100 and H100
    }
    if (d <= 192) return tile(128, 64, 8);
    // hdim256: 128 x 64 with 8 warps where a block may take 2 d (128 + 2 * 64) elements' bytes
    // but an SM holds less than two 64 x 64 CTAs (A100); else 64 x 64, 4 warps (H100: 2 CTAs/SM).
    const std::int64_t big_block = 2 * d * (128 + 2 * 64);
    const std::int64_t two_small = 4 * d * (64 + 2 * 64);
    if (gpu.sram_per_block_bytes >= big_block && gpu.sram_per_sm_bytes < two_small)
        return tile(128, 64, 8);
    return tile(64, 64, 4);
}

// Dao-AILab/flash-attention v2.x, csrc/flash_attn/src/flash_bwd_launch_template.h,
// run_mha_bwd_hdim{32,64,96,128,160,192,256} without dropout; every one uses 8 warps.
TileConfig fa2_backward_tile(const GpuSpec& gpu, const AttentionProblem& problem) {
    const std::int64_t d = problem.head_dim;
    const std::int64_t smem = gpu.sram_per_block_bytes;
    if (d <= 32) return tile(128, 128, 8);
    if (d <= 64) return smem >= 144 * k_kib ? tile(128, 128, 8) : tile(64, 128, 8);
    if (d <= 96) return tile(64, 128, 8);
    if (d <= 128) return smem >= 144 * k_kib ? tile(64, 128, 8) : tile(64, 64, 8);
    if (d <= 192) return tile(64, 64, 8);
    // hdim256: 64 x 64 where a block takes 144 KiB or more (H100; A100 single-buffered),
    // 64 x 32 on sm86/sm89.
    return smem >= 144 * k_kib ? tile(64, 64, 8) : tile(64, 32, 8);
}

// Dao-AILab/flash-attention v1.x, csrc/flash_attn/fmha_fwd_hdim{32,64,128}.cu: a CTA walks the
// keys in blocks of 256 (d <= 64) or 128 (d = 128), 16 query rows at a time, with 4 warps.
// flashscope's flash1 schedule gives each warp its own 16 query rows, so its query block is
// 4 x 16 = 64 rows. At d = 128 the key block is instead as large as shared memory holds (K and V
// of the block beside two 128-row Q blocks, up to 256; Bc = M / 4d in the paper's words, Dao et
// al. 2022, Algorithm 1, line 1): with the fp32 running output each key block re-reads and
// re-writes 8d + 16 bytes per query and re-reads Q, so v1's 128 keys move more HBM than naive
// once O leaves the L2 (docs/MODEL.md, flash1). Version 1 shipped no kernel past d = 128: there
// the key block is the largest multiple of 16 the paper's rule allows.
TileConfig fa1_tile(const GpuSpec& gpu, const AttentionProblem& problem) {
    const std::int64_t d = problem.head_dim;
    if (d <= 64) return tile(64, 256, 4);
    if (d <= 128) {
        const std::int64_t row = d * bytes_of(problem.dtype), q_blocks = 2 * 128 * row;
        const std::int64_t bc = (gpu.sram_per_block_bytes - q_blocks) / (2 * row) / 32 * 32;
        return tile(128, std::clamp<std::int64_t>(bc, 32, 256), 8);
    }
    const std::int64_t m_elems = gpu.sram_per_block_bytes / bytes_of(problem.dtype);
    const std::int64_t bc = std::clamp<std::int64_t>(m_elems / (4 * d) / 16 * 16, 16, 256);
    return tile(64, bc, 4);
}

}  // namespace flashscope::sim::detail
