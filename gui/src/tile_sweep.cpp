#include "tile_sweep.hpp"

#include <exception>

#include "flashscope/core/error.hpp"
#include "flashscope/sim/tile_advisor.hpp"

namespace flashscope::gui {

std::vector<std::int64_t> tile_block_sizes() {
    std::vector<std::int64_t> sizes;
    for (std::int64_t b = 16; b <= 256; b += 16) sizes.push_back(b);
    return sizes;
}

double time_weighted_occupancy(const sim::Result& result) {
    double weighted = 0;
    double time = 0;
    for (const auto& k : result.kernels) {
        weighted += k.occupancy * k.metrics.time_s;
        time += k.metrics.time_s;
    }
    return time > 0 ? weighted / time : 0;
}

TileSweep sweep_tiles(const sim::SimulationRequest& base, const ProgressCallback& keep_going) {
    TileSweep sweep;
    sweep.block_ms = tile_block_sizes();
    sweep.block_ns = tile_block_sizes();
    sweep.model = base.model;
    const int total = static_cast<int>(sweep.block_ms.size() * sweep.block_ns.size());
    int done = 0;
    for (auto block_m : sweep.block_ms) {
        for (auto block_n : sweep.block_ns) {
            report_progress(keep_going, done++, total);
            TileCell cell;
            cell.block_m = block_m;
            cell.block_n = block_n;
            auto request = base;
            request.timeline = false;
            request.tile.block_m = block_m;
            request.tile.block_n = block_n;
            try {
                const auto result = sim::simulate(request);
                cell.feasible = true;
                cell.resolved = result.tile;
                cell.totals = result.totals;
                cell.occupancy = time_weighted_occupancy(result);
                cell.bottleneck = std::string(sim::to_string(result.bottleneck));
                cell.why = sim::explain_tile(result, request.gpu);
            } catch (const std::exception& e) {
                cell.reason = e.what();
            }
            sweep.cells.push_back(std::move(cell));
        }
    }
    report_progress(keep_going, total, total);
    return sweep;
}

}  // namespace flashscope::gui
