#include "flashscope/core/tile.hpp"

#include <string>

#include "flashscope/core/error.hpp"

namespace flashscope {

namespace {

void check_block(const char* field, std::int64_t value) {
    if (value == 0) return;  // 0 = chosen by the default rule
    if (value < 16 || value > 256 || value % 16 != 0)
        throw ConfigError(field, std::to_string(value),
                          "must be a multiple of 16 in [16, 256] (tensor-core fragment size)");
}

}  // namespace

void TileConfig::validate() const {
    check_block("block_m", block_m);
    check_block("block_n", block_n);
    if (warps != 0 && (warps < 1 || warps > 16 || (warps & (warps - 1)) != 0))
        throw ConfigError("warps", std::to_string(warps), "must be a power of two in [1, 16]");
    if (stages != 0 && (stages < 1 || stages > 4))
        throw ConfigError("stages", std::to_string(stages), "must be in [1, 4]");
}

}  // namespace flashscope
