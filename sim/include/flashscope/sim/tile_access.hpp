#pragma once
// The vocabulary of a schedule: which tile of which tensor a CTA touches in one step.
// Tiles are named, not addressed: every kernel of a pass uses the same tile grid (block_m rows
// on the query side, block_n rows on the key side), so names match across kernels and the L2
// model can see a tile written by one kernel and read by the next.
#include <cstdint>
#include <string_view>

namespace flashscope::sim {

enum class Tensor : std::uint8_t {
    q,
    k,
    v,
    o,
    lse,
    row_max,
    row_sum,  // forward inputs/outputs and softmax statistics
    d_o,
    d_q,
    d_k,
    d_v,
    delta,
    d_q_accum,  // gradients; delta = rowsum(dO * O)
    d_k_expanded,
    d_v_expanded,  // per-query-head dK/dV before the GQA reduction
    s,
    p,
    d_p,
    d_s,  // N x N matrices of naive attention
    // eager mode's out-of-place N x N temporaries: scale * S, dP * P, dL/d(scale * S)
    s_scaled,
    d_p_times_p,
    d_s_scaled,
    d_k_transposed,  // eager mode: dK^T as the batched GEMM writes it, before autograd's copy
    o_accum,         // fp32 running output between K/V blocks (flash1_released's o_tmp)
};
inline constexpr int k_tensor_count = 24;
std::string_view to_string(Tensor tensor);

enum class AccessKind : std::uint8_t {
    read,
    write,   // whole tile overwritten: no fill from HBM needed
    reduce,  // read-modify-write performed at L2 (fp32 atomics)
};

enum class MemberAxis : std::uint8_t { shared, row, col };

struct TileAccess {
    Tensor tensor;
    AccessKind kind;
    std::int64_t head;  // batch * heads_of_this_tensor + head
    std::int64_t row;   // row block
    std::int64_t col;   // column block (N x N tensors), else 0
    std::int64_t bytes;
    // Whether the CTAs of a cohort share this tile, or CTA k touches the tile k rows (or
    // columns) further on: a private tile such as each CTA's own Q block.
    MemberAxis member_axis = MemberAxis::shared;
    // A shared tile that only every `sharing`-th CTA of the grid requests (a GEMM whose real CTAs
    // cover two of the grid's blocks): cohort member k requests it when (k + sharing_phase) is
    // a multiple of `sharing`.
    std::int64_t sharing = 1;
    std::int64_t sharing_phase = 0;
};

// How many of a cohort's `members` consecutive CTAs request tile access `a`.
inline std::int64_t requesting_members(const TileAccess& a, std::int64_t members) {
    if (a.sharing <= 1) return members;
    const std::int64_t first = (a.sharing - a.sharing_phase % a.sharing) % a.sharing;
    return members > first ? (members - first + a.sharing - 1) / a.sharing : 0;
}

}  // namespace flashscope::sim
