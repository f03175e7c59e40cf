#pragma once
// The tiles FlashAttention's released kernels launch, per head dim and GPU: the defaults the
// flash schedules start from (flash_tile_policy.cpp). Facts read from the launch code named in
// each function's comment; the GPU is told apart by its shared memory, as that code does.
#include <cstdint>

#include "flashscope/core/problem.hpp"
#include "flashscope/core/tile.hpp"
#include "flashscope/sim/gpu_spec.hpp"

namespace flashscope::sim::detail {

// FlashAttention-2 forward (blocks and warps).
TileConfig fa2_forward_tile(const GpuSpec& gpu, const AttentionProblem& problem);
// FlashAttention-2 backward (blocks and warps).
TileConfig fa2_backward_tile(const GpuSpec& gpu, const AttentionProblem& problem);
// FlashAttention (v1) forward and backward: the key block of its outer loop and 4 warps.
TileConfig fa1_tile(const GpuSpec& gpu, const AttentionProblem& problem);

}  // namespace flashscope::sim::detail
