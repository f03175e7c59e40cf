#pragma once
// GQA/MQA backward: dK and dV computed per query head, then summed over each kv head's group.
#include <memory>
#include <string>

#include "plan_base.hpp"

namespace flashscope::sim::detail {

// One unit per (kv head, key block): reads the group's expanded dK/dV tiles, writes dK/dV.
std::unique_ptr<KernelPlan> make_gqa_reduce(const PlanContext& ctx, std::string name);

// Where a backward kernel stores the dK/dV of query head `bh`, key block j.
inline TileAccess store_dk(const PlanContext& c, Tensor expanded_or_final, std::int64_t bh,
                           std::int64_t j, std::int64_t bytes, MemberAxis axis) {
    const bool expanded = c.gqa();
    const Tensor t = expanded
                         ? expanded_or_final
                         : (expanded_or_final == Tensor::d_k_expanded ? Tensor::d_k : Tensor::d_v);
    return write(t, expanded ? bh : c.kv_head_of(bh), j, 0, bytes, axis);
}

// Bytes of the expanded per-query-head dK + dV buffers (zero without GQA).
inline Count expanded_dkv_bytes(const PlanContext& c) {
    return c.gqa() ? 2 * Count(c.q_heads()) * c.problem.seq_k * c.d() * c.elem : 0;
}

}  // namespace flashscope::sim::detail
