#include "flash_tile_policy.hpp"

#include <string>

#include "flashscope/core/error.hpp"
#include "flashscope/sim/tile_rules.hpp"

namespace flashscope::sim::detail {

TileConfig FlashTilePolicy::default_blocks(const GpuSpec& gpu,
                                           const AttentionProblem& problem) const {
    return flash_rule_tile(gpu, problem);
}

std::int64_t FlashTilePolicy::default_warps(std::int64_t block_m) const {
    std::int64_t warps = block_m <= 64 ? 4 : 8;
    while (warps > 1 && block_m < 16 * warps) warps /= 2;  // every warp owns 16 query rows
    return warps;
}

void FlashTilePolicy::check_tile(const TileConfig& tile, Pass pass) const {
    // Forward: each warp owns at least one 16-row tensor-core fragment of the query block.
    if (pass != Pass::bwd && tile.block_m < 16 * tile.warps)
        throw ConfigError("warps", std::to_string(tile.warps),
                          "block_m " + std::to_string(tile.block_m) + " allows at most " +
                              std::to_string(tile.block_m / 16) + " warps (16 query rows each)");
    // Backward: warps tile the (block_m, block_n) score block in 16 x 16 fragments.
    if (tile.block_m * tile.block_n < 256 * tile.warps)
        throw ConfigError("warps", std::to_string(tile.warps),
                          "a " + std::to_string(tile.block_m) + "x" + std::to_string(tile.block_n) +
                              " tile holds " + std::to_string(tile.block_m * tile.block_n / 256) +
                              " 16x16 fragments, fewer than one per warp");
}

}  // namespace flashscope::sim::detail
