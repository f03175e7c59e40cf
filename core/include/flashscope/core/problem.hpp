#pragma once
// One attention call: shapes, element type, masking and which pass runs.
#include <cstdint>
#include <string_view>

#include "flashscope/core/dtype.hpp"

namespace flashscope {

enum class Pass { fwd, bwd, fwdbwd };

std::string_view to_string(Pass pass);
Pass parse_pass(std::string_view text);  // throws ConfigError naming "pass"

// Largest head dimension any modelled kernel supports (FlashAttention-2's limit).
inline constexpr std::int64_t k_max_head_dim = 256;
// Sizes are bounded so that every derived byte count (an N x N matrix of fp32 per head, summed
// over batch and heads) stays far inside int64.
inline constexpr std::int64_t k_max_seq = std::int64_t{1} << 24;  // 16M tokens
inline constexpr std::int64_t k_max_batch_heads = std::int64_t{1} << 20;

struct AttentionProblem {
    std::int64_t batch = 4;
    std::int64_t heads = 16;
    std::int64_t kv_heads = 16;  // GQA/MQA when fewer than heads; must divide heads
    std::int64_t seq_q = 4096;
    std::int64_t seq_k = 4096;
    std::int64_t head_dim = 128;
    DType dtype = DType::bf16;
    bool causal = false;  // bottom-right aligned: query i sees keys j <= i + (seq_k - seq_q)
    Pass pass = Pass::fwd;
    double softmax_scale = 0.0;  // 0 means 1/sqrt(head_dim)
    double dropout = 0.0;        // probability; only changes work in naive eager mode

    double effective_scale() const;
    std::int64_t group_size() const { return heads / kv_heads; }  // query heads per kv head

    // Throws ConfigError naming the first invalid field, its value and the limit.
    void validate() const;

    bool operator==(const AttentionProblem&) const = default;
};

// Number of (query, key) pairs that are not masked out, bottom-right causal alignment.
std::int64_t visible_pairs(std::int64_t seq_q, std::int64_t seq_k, bool causal);

}  // namespace flashscope
