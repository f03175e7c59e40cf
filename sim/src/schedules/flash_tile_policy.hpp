#pragma once
// The tile policy FlashAttention's kernels share: default tiles as the released kernels pick them
// per head dim and GPU (published_tiles.hpp), warps that own whole 16-row tensor-core fragments,
// and a two-stage K/V pipeline.
#include <cmath>
#include <cstdint>
#include <string>

#include "flashscope/sim/schedule.hpp"

namespace flashscope::sim::detail {

// Tensor-core fragments are 16 deep (mma.sync m16n8k16, ldmatrix x4, wgmma k16): tile sides come
// in whole fragments.
inline constexpr std::int64_t k_frag = 16;

inline std::string text(std::int64_t v) {
    return std::to_string(v);
}

// How far a tile side is from the published one, in powers of two: the tile searches rank the
// candidates closest to what the released kernels use first.
inline double log2_ratio(std::int64_t a, std::int64_t b) {
    return std::abs(std::log2(double(a) / double(b)));
}

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
