// Peak memory of the eager graph, kernel by kernel. What is alive comes from autograd's rules
// (docs/MODEL.md, "naive, eager"): the forward's temporaries die as soon as the next op consumed
// them; autograd saves only P (softmax's result, also bmm's `self`) and views of q, k, v (mul by a
// Python scalar saves the scalar alone); a backward node frees its incoming gradient and saved
// tensors when it returns; the caller holds O and dO throughout. An output is allocated before
// its kernel runs, so each kernel's inputs and output are alive together.
#include <algorithm>
#include <initializer_list>

#include "eager_kernels.hpp"

namespace flashscope::sim::detail {
namespace {

Count sum(std::initializer_list<Count> live) {
    Count total = 0;
    for (Count c : live) total += c;
    return total;
}
Count largest(std::initializer_list<Count> moments) {
    return std::max(moments);
}

}  // namespace

Count eager_footprint_bytes(const PlanContext& c, Pass pass) {
    const Count qkv = c.q_bytes() + 2 * c.kv_bytes(), o = c.q_bytes(), nn = c.nn_bytes();
    // dV, dK^T and the copied dK per query head (the GQA reduction sums them afterwards)
    const Count per_q_head = Count(c.q_heads()) * c.problem.seq_k * c.d() * c.elem;
    const Count fwd = largest({
        sum({qkv, nn}),      // qk: S
        sum({qkv, nn, nn}),  // scale: S, scale * S
        sum({qkv, nn, nn}),  // softmax: scale * S, P
        sum({qkv, nn, o}),   // pv: P, O
    });
    if (pass == Pass::fwd) return fwd;
    const Count base = sum({qkv, o, o});  // + dO
    const Count dv = per_q_head, dk_t = per_q_head, dk = per_q_head, dq = c.q_bytes();
    const Count bwd = largest({
        sum({base, nn, dv}),              // dv: P saved
        sum({base, nn, dv, nn}),          // dp: + dP
        sum({base, dv, nn, nn, nn}),      // softmax_bwd_mul: P, dP, dP * P
        sum({base, dv, nn, nn, nn, nn}),  // softmax_bwd: + dS_scaled
        sum({base, dv, nn, nn}),          // scale_bwd: dS_scaled, dS
        sum({base, dv, nn, dk_t, dq}),    // dk, dq: dS, dK^T, dQ
        sum({base, dv, dk_t, dq, dk}),    // dk_transpose: dK^T, dK
        // dkv_reduce (GQA only): the per-query-head dK, dV summed into K's and V's shapes
        c.gqa() ? sum({base, dv, dq, dk, 2 * c.kv_bytes()}) : Count(0),
    });
    return pass == Pass::bwd ? bwd : std::max(fwd, bwd);
}

}  // namespace flashscope::sim::detail
