#include "flashscope/core/problem_counts.hpp"

#include <cstdio>
#include <string>

#include "flashscope/core/count.hpp"

namespace flashscope {

void check_countable(const AttentionProblem& p) {
    const std::int64_t factors[] = {p.batch, p.heads, p.seq_q, p.seq_k, bytes_of(p.dtype)};
    std::int64_t product = 1;
    bool overflow = false;
    for (std::int64_t f : factors)
        overflow = overflow || __builtin_mul_overflow(product, f, &product);
    if (!overflow) return;
    double approx = 1;
    std::string text;
    for (std::int64_t f : factors) {
        approx *= double(f);
        text += (text.empty() ? "" : "*") + std::to_string(f);
    }
    char rounded[32];
    std::snprintf(rounded, sizeof rounded, "%.3g", approx);
    throw CountOverflow("batch*heads*seq_q*seq_k*elem", text + " = " + rounded);
}

}  // namespace flashscope
