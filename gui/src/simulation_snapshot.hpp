#pragma once
// Everything the views show for one configuration, computed together off the UI thread: the
// selected algorithm (with its timeline), every registered algorithm for comparison, the tile
// sweep and the scaling sweep.
#include <functional>
#include <optional>
#include <vector>

#include "gui_configuration.hpp"
#include "progress.hpp"
#include "scaling_sweep.hpp"
#include "tile_sweep.hpp"

namespace flashscope::gui {

struct SimulationSnapshot {
    GuiConfiguration config;
    sim::GpuSpec gpu;
    sim::Result selected;  // the panel's algorithm and tile; timeline when the model is cycle
    // Indexed by Algorithm::index(), one entry per algorithm registered when it was computed; the
    // selected algorithm's entry is `selected` without timeline, the others use their default
    // tile. Empty when the simulator rejected it.
    std::vector<std::optional<sim::Result>> by_algorithm;
    TileSweep tiles;
    bool tiles_ready = false;  // false in the early snapshot published before the tile sweep
    ScalingSweep scaling;
    double compute_seconds = 0;

    const sim::Result* result_of(Algorithm algorithm) const;  // null when rejected or unknown
    // The tiled algorithm shown beside naive: the selected one, or flash2 when naive is selected.
    const sim::Result* tiled() const;
};

using EarlySnapshotCallback = std::function<void(const SimulationSnapshot&)>;

// Throws ConfigError (naming the field) when the selected configuration is invalid, Cancelled
// when keep_going says stop. `early` (optional) receives everything but the tile sweep, which
// takes longest, so most views can update before it finishes.
SimulationSnapshot compute_snapshot(const GuiConfiguration& config,
                                    const ProgressCallback& keep_going,
                                    const EarlySnapshotCallback& early = {});

// Only the first step, the selected algorithm: what the panel uses to validate a field.
sim::Result simulate_selected(const GuiConfiguration& config);

}  // namespace flashscope::gui
