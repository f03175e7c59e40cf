#pragma once
// The points of a sweep, in a fixed order: the product of the value lists, the first key of
// sweep_keys() outermost and the last varying fastest:
//   gpu, model, algo, pass, dtype, causal, batch, heads, kv_heads, seq (or seq_q, seq_k),
//   head_dim, tile (or block_m, block_n, warps, stages), softmax_scale, dropout, naive_eager.
// Within one key the values keep the order of the sweep file. Point i has index i.
#include <cstdint>
#include <vector>

#include "flashscope/sweep/sweep_point.hpp"
#include "flashscope/sweep/sweep_spec.hpp"

namespace flashscope::sweep {

inline constexpr std::int64_t k_max_points = 5'000'000;  // ~250 bytes each in memory

std::int64_t point_count(const SweepSpec& spec);  // throws SpecError above k_max_points
std::vector<SweepPoint> expand(const SweepSpec& spec);

}  // namespace flashscope::sweep
