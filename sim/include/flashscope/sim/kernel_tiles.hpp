#pragma once
// Which tiles flashscope's CUDA kernels are built for: kernels/kernel_tiles.txt (its `full` set,
// the one GPU machines build), embedded at build time so any build can answer.
#include <cstdint>
#include <string_view>

#include "flashscope/core/dtype.hpp"
#include "flashscope/core/tile.hpp"
#include "flashscope/sim/result.hpp"

namespace flashscope::sim {

// Whether `kernel` (a kernel name, "flash2_fwd") has rows in the table at all: a tiled kernel.
bool kernel_has_tiles(std::string_view kernel);
// Whether the table instantiates `kernel` at this head dim, dtype and complete tile.
bool kernel_tile_built(std::string_view kernel, std::int64_t head_dim, DType dtype,
                       const TileConfig& tile);

enum class Buildable { yes, no, untiled };  // untiled: no kernel of the result takes a tile
std::string_view to_string(Buildable b);    // "yes", "no", "-"
// Every tiled kernel of `result` is built at the result's tile (and there is one).
Buildable buildable(const Result& result);

}  // namespace flashscope::sim
