#pragma once
// The tile explorer's data: one simulation per (block_m, block_n) of the configuration, with
// warps and stages as the panel gives them. Tiles the simulator rejects keep its reason.
#include <cstdint>
#include <string>
#include <vector>

#include "flashscope/sim/simulate.hpp"
#include "progress.hpp"

namespace flashscope::gui {

struct TileCell {
    std::int64_t block_m = 0;
    std::int64_t block_n = 0;
    bool feasible = false;
    std::string reason;   // the simulator's message when not feasible
    TileConfig resolved;  // warps/stages as chosen
    Metrics totals;
    double occupancy = 0;  // time-weighted over the kernels, 0..1
    std::string bottleneck;
    std::string why;  // one line, as `flashscope tiles` says it (sim::explain_tile)
};

struct TileSweep {
    std::vector<std::int64_t> block_ms;  // rows
    std::vector<std::int64_t> block_ns;  // columns
    std::vector<TileCell> cells;         // row-major: cells[row * block_ns.size() + column]
    sim::Model model = sim::Model::analytic;

    bool empty() const { return cells.empty(); }
};

// Block sizes 16, 32, ..., 256 (multiples of 16, the tensor-core fragment).
std::vector<std::int64_t> tile_block_sizes();

// Throws Cancelled when keep_going says stop.
TileSweep sweep_tiles(const sim::SimulationRequest& base, const ProgressCallback& keep_going);

double time_weighted_occupancy(const sim::Result& result);

}  // namespace flashscope::gui
