#include "flashscope/core/tile.hpp"

#include <algorithm>
#include <charconv>
#include <string>

#include "flashscope/core/error.hpp"

namespace flashscope {

namespace {

void check_block(const char* field, std::int64_t value) {
    if (value == 0) return;  // 0 = chosen by the default rule
    if (value < 16 || value > k_max_block || value % 16 != 0)
        throw ConfigError(field, std::to_string(value),
                          "must be a multiple of 16 in [16, 256] (tensor-core fragment size)");
}

}  // namespace

void TileConfig::validate() const {
    check_block("block_m", block_m);
    check_block("block_n", block_n);
    // Powers of two, and 12: a warpgroup-specialized CTA (flash3) of three warpgroups.
    const bool power_of_two = warps >= 1 && warps <= k_max_warps && (warps & (warps - 1)) == 0;
    if (warps != 0 && !power_of_two && warps != 12)
        throw ConfigError("warps", std::to_string(warps),
                          "must be a power of two in [1, 16] or 12 (three warpgroups)");
    if (stages != 0 && (stages < 1 || stages > k_max_stages))
        throw ConfigError("stages", std::to_string(stages), "must be in [1, 4]");
}

TileConfig parse_tile(std::string_view text) {
    const auto refused = [&] {
        return ConfigError("tile", std::string(text),
                           "must be BLOCK_MxBLOCK_NxWARPSxSTAGES, e.g. 128x64x4x2");
    };
    std::int64_t fields[4] = {};
    std::string_view rest = text;
    for (int i = 0; i < 4; ++i) {
        const std::size_t cut = i < 3 ? rest.find('x') : rest.size();
        if (cut == std::string_view::npos) throw refused();
        const std::string_view part = rest.substr(0, cut);
        const auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), fields[i]);
        if (part.empty() || ec != std::errc() || end != part.data() + part.size() || fields[i] < 0)
            throw refused();
        rest = rest.substr(std::min(cut + 1, rest.size()));
    }
    return {fields[0], fields[1], fields[2], fields[3]};
}

std::string to_string(const TileConfig& t) {
    return std::to_string(t.block_m) + "x" + std::to_string(t.block_n) + "x" +
           std::to_string(t.warps) + "x" + std::to_string(t.stages);
}

}  // namespace flashscope
