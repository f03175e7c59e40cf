#pragma once
// The tile policy FlashAttention's kernels share: default tiles as the released kernels pick them
// per head dim and GPU (published_tiles.hpp), warps that own whole 16-row tensor-core fragments,
// and a two-stage K/V pipeline.
#include "flashscope/sim/schedule.hpp"

namespace flashscope::sim::detail {

class FlashTilePolicy : public Schedule {
public:
    using Schedule::Schedule;
    TileConfig default_blocks(const GpuSpec& gpu, const AttentionProblem& problem) const override;
    std::int64_t default_warps(const TileConfig& blocks,
                               const AttentionProblem& problem) const override;
    std::int64_t deepest_stages() const override { return 2; }
    void check_tile(const TileConfig& tile, const AttentionProblem& problem) const override;
    void check_problem(const AttentionProblem& problem) const override;  // head dim in fragments
};

}  // namespace flashscope::sim::detail
