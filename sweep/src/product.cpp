#include "flashscope/sweep/product.hpp"

#include <array>

#include "flashscope/sweep/spec_error.hpp"

namespace flashscope::sweep {
namespace {

enum Axis { gpu, model, algo, pass, dtype, causal, batch, heads, kv_heads, seq_q, seq_k, head_dim,
            block_m, block_n, warps, stages, axis_count };

std::array<std::int64_t, axis_count> axis_sizes(const SweepSpec& s) {
    const auto n = [](const auto& v) { return static_cast<std::int64_t>(v.size()); };
    return {n(s.gpus),     n(s.models),  n(s.algorithms), n(s.passes),  n(s.dtypes),  n(s.causal),
            n(s.batch),    n(s.heads),   s.kv_heads.empty() ? 1 : n(s.kv_heads),
            n(s.seq_q),    s.seq_k_follows_q ? 1 : n(s.seq_k),
            n(s.head_dim), n(s.block_m), n(s.block_n),    n(s.warps),   n(s.stages)};
}

SweepPoint make_point(const SweepSpec& s, const std::array<std::int64_t, axis_count>& at) {
    const auto pick = [&](const auto& values, Axis axis) { return values[static_cast<std::size_t>(at[axis])]; };
    SweepPoint p;
    p.gpu_slot = at[gpu];
    p.gpu = pick(s.gpus, gpu);
    p.model = pick(s.models, model);
    p.algorithm = pick(s.algorithms, algo);
    AttentionProblem& q = p.problem;
    q.pass = pick(s.passes, pass);
    q.dtype = pick(s.dtypes, dtype);
    q.causal = pick(s.causal, causal);
    q.batch = pick(s.batch, batch);
    q.heads = pick(s.heads, heads);
    q.kv_heads = s.kv_heads.empty() ? q.heads : pick(s.kv_heads, kv_heads);
    q.seq_q = pick(s.seq_q, seq_q);
    q.seq_k = s.seq_k_follows_q ? q.seq_q : pick(s.seq_k, seq_k);
    q.head_dim = pick(s.head_dim, head_dim);
    p.tile = {pick(s.block_m, block_m), pick(s.block_n, block_n), pick(s.warps, warps), pick(s.stages, stages)};
    p.id = point_id(p);
    return p;
}

}  // namespace

std::int64_t point_count(const SweepSpec& spec) {
    std::int64_t total = 1;
    for (std::int64_t size : axis_sizes(spec)) {
        if (size > 0 && total > k_max_points / size)
            throw SpecError(spec.origin, 0, "", "the sweep has more than " + std::to_string(k_max_points) +
                                                    " points; split it into several files");
        total *= size;
    }
    return total;
}

std::vector<SweepPoint> expand(const SweepSpec& spec) {
    const auto sizes = axis_sizes(spec);
    const std::int64_t total = point_count(spec);
    std::vector<SweepPoint> points;
    points.reserve(static_cast<std::size_t>(total));
    std::array<std::int64_t, axis_count> at{};
    for (std::int64_t i = 0; i < total; ++i) {
        points.push_back(make_point(spec, at));
        points.back().index = i;
        for (int axis = axis_count - 1; axis >= 0; --axis) {  // odometer: last axis fastest
            if (++at[static_cast<std::size_t>(axis)] < sizes[static_cast<std::size_t>(axis)]) break;
            at[static_cast<std::size_t>(axis)] = 0;
        }
    }
    return points;
}

}  // namespace flashscope::sweep
