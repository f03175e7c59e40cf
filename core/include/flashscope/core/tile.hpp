#pragma once
// Tile shape of a kernel: a CTA owns block_m query rows and walks block_n key rows at a time.
#include <cstdint>
#include <string>
#include <string_view>

namespace flashscope {

inline constexpr std::int64_t k_max_block = 256;  // rows of a tile side
inline constexpr std::int64_t k_max_warps = 16;
inline constexpr std::int64_t k_max_stages = 4;

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

// The one tile syntax of every command and file: BLOCK_MxBLOCK_NxWARPSxSTAGES, e.g. 128x64x4x2
// (0 for a field the default rule chooses). Throws ConfigError naming "tile"; does not validate().
TileConfig parse_tile(std::string_view text);
std::string to_string(const TileConfig& tile);

}  // namespace flashscope
