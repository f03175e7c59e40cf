#include "flashscope/core/problem.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "flashscope/core/error.hpp"
#include "flashscope/core/problem_counts.hpp"

namespace flashscope {

std::string_view to_string(Pass pass) {
    switch (pass) {
        case Pass::fwd:
            return "fwd";
        case Pass::bwd:
            return "bwd";
        case Pass::fwdbwd:
            return "fwdbwd";
    }
    return "?";
}

Pass parse_pass(std::string_view text) {
    for (Pass p : {Pass::fwd, Pass::bwd, Pass::fwdbwd}) {
        if (text == to_string(p)) return p;
    }
    throw ConfigError("pass", std::string(text), "must be one of fwd, bwd, fwdbwd");
}

double AttentionProblem::effective_scale() const {
    return softmax_scale > 0 ? softmax_scale : 1.0 / std::sqrt(static_cast<double>(head_dim));
}

namespace {

void require_positive(const char* field, std::int64_t value) {
    if (value <= 0) throw ConfigError(field, std::to_string(value), "must be >= 1");
}

}  // namespace

void AttentionProblem::validate() const {
    require_positive("batch", batch);
    require_positive("heads", heads);
    require_positive("kv_heads", kv_heads);
    require_positive("seq_q", seq_q);
    require_positive("seq_k", seq_k);
    require_positive("head_dim", head_dim);
    if (std::int64_t bh = 0; __builtin_mul_overflow(batch, heads, &bh) || bh > k_max_batch_heads)
        throw ConfigError("batch*heads", std::to_string(batch) + "*" + std::to_string(heads),
                          "must be <= " + std::to_string(k_max_batch_heads));
    if (kv_heads > heads)
        throw ConfigError("kv_heads", std::to_string(kv_heads),
                          "must be <= heads (" + std::to_string(heads) + ")");
    if (heads % kv_heads != 0)
        throw ConfigError("kv_heads", std::to_string(kv_heads),
                          "must divide heads (" + std::to_string(heads) + ")");
    for (auto [field, value] : {std::pair{"seq_q", seq_q}, std::pair{"seq_k", seq_k}}) {
        if (value > k_max_seq)
            throw ConfigError(field, std::to_string(value),
                              "must be <= " + std::to_string(k_max_seq));
    }
    if (head_dim > k_max_head_dim)
        throw ConfigError("head_dim", std::to_string(head_dim),
                          "must be <= " + std::to_string(k_max_head_dim));
    if (head_dim % 8 != 0)
        throw ConfigError("head_dim", std::to_string(head_dim),
                          "must be a multiple of 8 (16-byte rows for the tensor-core loads)");
    if (!(softmax_scale >= 0) || !std::isfinite(softmax_scale))
        throw ConfigError("softmax_scale", std::to_string(softmax_scale),
                          "must be finite and >= 0");
    if (!(dropout >= 0 && dropout < 1))
        throw ConfigError("dropout", std::to_string(dropout), "must be in [0, 1)");
    check_countable(*this);
}

std::int64_t visible_pairs(std::int64_t seq_q, std::int64_t seq_k, bool causal) {
    if (!causal) return seq_q * seq_k;
    // Row i sees keys 0 .. i + (seq_k - seq_q), clipped to [0, seq_k].
    const std::int64_t offset = seq_k - seq_q;
    std::int64_t total = 0;
    // Rows fall into three runs: none visible, a growing run, all visible. Sum in closed form.
    const std::int64_t first_visible =
        std::max<std::int64_t>(0, -offset);  // first row seeing >= 1 key
    const std::int64_t first_full = std::clamp<std::int64_t>(seq_k - 1 - offset, 0, seq_q);
    if (first_full > first_visible) {
        // rows r in [first_visible, first_full) see r + offset + 1 keys
        const std::int64_t n = first_full - first_visible;
        const std::int64_t a = first_visible + offset + 1;
        total += n * a + n * (n - 1) / 2;
    }
    total += (seq_q - std::max(first_full, first_visible)) * seq_k;
    return total;
}

}  // namespace flashscope
