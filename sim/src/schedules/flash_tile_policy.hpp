#pragma once
// The tile policy FlashAttention's kernels share: blocks from the paper's rule, warps that each
// own 16 query rows, a two-stage K/V pipeline, and warp counts the fragments can feed.
#include "flashscope/sim/schedule.hpp"

namespace flashscope::sim::detail {

class FlashTilePolicy : public Schedule {
public:
    using Schedule::Schedule;
    TileConfig default_blocks(const GpuSpec& gpu, const AttentionProblem& problem) const override;
    std::int64_t default_warps(std::int64_t block_m) const override;
    std::int64_t deepest_stages() const override { return 2; }
    void check_tile(const TileConfig& tile, Pass pass) const override;
};

}  // namespace flashscope::sim::detail
