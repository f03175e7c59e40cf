#include "flash1_released_launch.hpp"

#include <cmath>
#include <string>
#include <vector>

#include "flashscope/core/error.hpp"

namespace flashscope::sim::detail {
namespace {

// fmha_api.cpp: blocksize_c = head_size > 64 ? 128 : 256, and a padded seqlen_k of at most 128
// selects the S = 128 instance (fmha_fwd_hdim32.cu / hdim64.cu: `seqlen_k == 128`).
std::int64_t fa1_block_n(const AttentionProblem& p) {
    return p.head_dim > 64 || p.seq_k <= 128 ? 128 : 256;
}
std::int64_t fa1_padded_head_dim(std::int64_t d) {
    return d <= 32 ? 32 : d <= 64 ? 64 : 128;
}
constexpr std::int64_t k_step_rows = 16;  // STEP of every FMHA_kernel_traits instance
constexpr std::int64_t k_elem = 2;        // fp16 / bf16 only

}  // namespace

void check_fa1_problem(const AttentionProblem& p) {
    if (p.head_dim % 8 != 0 || p.head_dim > 128)
        throw ConfigError("head_dim", std::to_string(p.head_dim),
                          "FlashAttention 1.x takes a multiple of 8 up to 128");
    if (p.dtype == DType::fp32)
        throw ConfigError("dtype", "fp32", "FlashAttention 1.x takes fp16 or bf16");
    if (p.kv_heads != p.heads)
        throw ConfigError(
            "kv_heads", std::to_string(p.kv_heads),
            "FlashAttention 1.x has no GQA: must equal heads (" + std::to_string(p.heads) + ")");
}

// Forward: FMHA_kernel_traits<S, D, 16, 1, 4, 0x08u> for every head dim.
Fa1Kernel fa1_forward_kernel(const AttentionProblem& p) {
    return {fa1_padded_head_dim(p.head_dim), k_step_rows, fa1_block_n(p), 4, true};
}

// Backward: <S, D, 16, 1, 8, FLAGS>; FLAGS 0x100u (V re-read from SRAM) for d = 128 and for
// d = 64 with S = 256 on sm80/sm90, 0x08u otherwise.
Fa1Kernel fa1_backward_kernel(const AttentionProblem& p) {
    const std::int64_t d = fa1_padded_head_dim(p.head_dim), n = fa1_block_n(p);
    const bool v_from_sram = d == 128 || (d == 64 && n == 256);
    return {d, k_step_rows, n, 8, !v_from_sram};
}

// Gemm_Q_K<traits, K_IN_REGS>::SMEM_BYTES = Smem_tile_q (16 x D, 2 buffers) + max(Smem_tile_k
// (S x D; K and V share it), Smem_tile_o (16 x D fp32 per warp) + softmax (16 x warps x 2 fp32)),
// + Smem_dp_sum (16 fp32, 2 buffers) when the kernel loops over K/V blocks.
std::int64_t fa1_forward_smem_bytes(const Fa1Kernel& k, bool loops_over_keys) {
    const std::int64_t q = k.block_m * k.head_dim * k_elem * 2;
    const std::int64_t kv = k.block_n * k.head_dim * k_elem;
    const std::int64_t o = k.block_m * k.head_dim * 4 * k.warps + k.block_m * k.warps * 4 * 2;
    return q + std::max(kv, o) + (loops_over_keys ? k.block_m * 4 * 2 : 0);
}

// smem_size_dq_dk_dv = 2 Smem_tile_q + Smem_tile_v (x2 unless V in registers) + Smem_tile_o of
// dQ (16 x D fp32 per warp) + 2 Smem_tile_st (16 x S).
std::int64_t fa1_backward_smem_bytes(const Fa1Kernel& k) {
    const std::int64_t q = k.block_m * k.head_dim * k_elem * 2;
    const std::int64_t v = k.block_n * k.head_dim * k_elem;
    const std::int64_t dq = k.block_m * k.head_dim * 4 * k.warps;
    const std::int64_t s = k.block_m * k.block_n * k_elem;
    return 2 * q + v * (k.v_in_registers ? 1 : 2) + dq + 2 * s;
}

// In float, as the source computes it, so that ties fall the same way. max_splits is
// std::min(30, (seqlen_q + M - 1 / M)): `1 / M` is 0, so 30 for any sequence of 14 or more.
int fa1_forward_splits(int batch_heads, int sm_count, int ctas_per_sm) {
    constexpr int max_splits = 30;
    float max_efficiency = 0.f;
    std::vector<float> efficiency;
    for (int splits = 1; splits <= max_splits; ++splits) {
        const float waves = float(batch_heads * splits) / float(sm_count * ctas_per_sm);
        const float eff = waves / std::ceil(waves);
        max_efficiency = std::max(max_efficiency, eff);
        efficiency.push_back(eff);
    }
    for (int splits = 1; splits <= max_splits; ++splits)
        if (efficiency[std::size_t(splits - 1)] > 0.95f * max_efficiency) return splits;
    return 1;
}

int fa1_backward_splits(int batch_heads, int sm_count, int ctas_per_sm, std::int64_t seq_k_padded,
                        std::int64_t block_n, bool causal) {
    const float waves_1 = float(batch_heads) / float(sm_count * ctas_per_sm);
    const float eff_1 = waves_1 / std::ceil(waves_1);
    const int parallel = int(seq_k_padded / block_n);
    const float waves_p = float(batch_heads * parallel) / float(sm_count * ctas_per_sm);
    const float eff_p_raw = waves_p / std::ceil(waves_p);
    float discount;
    if (!causal) {
        discount = 1.f + float(block_n) / float(seq_k_padded);
    } else {
        if (parallel >= 10) return parallel;
        discount = 1.f + 0.5f * float(block_n) / float(seq_k_padded);
    }
    return eff_1 >= eff_p_raw / discount ? 1 : parallel;
}

std::int64_t fa1_first_query_block(const Fa1Kernel& k, bool causal, std::int64_t j) {
    return causal ? j * k.block_n / k.block_m : 0;
}

}  // namespace flashscope::sim::detail
