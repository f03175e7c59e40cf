#pragma once
// Tile shape of a kernel: a CTA owns block_m query rows and walks block_n key rows at a time.
#include <cstdint>

namespace flashscope {

struct TileConfig {
    std::int64_t block_m = 0;  // Br: query rows per CTA tile, 0 = choose by FlashAttention's rule
    std::int64_t block_n = 0;  // Bc: key/value rows per inner step, 0 = choose
    std::int64_t warps = 0;    // warps per CTA, 0 = choose
    std::int64_t stages = 0;   // K/V buffers in SRAM (1 = no load/compute overlap), 0 = choose

    bool is_complete() const { return block_m > 0 && block_n > 0 && warps > 0 && stages > 0; }
    // Throws ConfigError for values that no kernel could use (not multiples of 16, > 256, ...).
    void validate() const;

    bool operator==(const TileConfig&) const = default;
};

}  // namespace flashscope
