#include "simulation_snapshot.hpp"

#include <chrono>
#include <exception>

namespace flashscope::gui {

const sim::Result* SimulationSnapshot::result_of(Algorithm algorithm) const {
    if (algorithm.index() >= by_algorithm.size()) return nullptr;
    const auto& entry = by_algorithm[algorithm.index()];
    return entry ? &*entry : nullptr;
}

const sim::Result* SimulationSnapshot::tiled() const {
    return config.algorithm == Algorithm::naive ? result_of(Algorithm::flash2) : &selected;
}

sim::Result simulate_selected(const GuiConfiguration& config) {
    return sim::simulate(make_request(config, resolve_gpu_source(config.gpu)));
}

SimulationSnapshot compute_snapshot(const GuiConfiguration& config,
                                    const ProgressCallback& keep_going,
                                    const EarlySnapshotCallback& early) {
    const auto start = std::chrono::steady_clock::now();
    SimulationSnapshot snap;
    snap.config = config;
    snap.gpu = resolve_gpu_source(config.gpu);
    auto request = make_request(config, snap.gpu);

    // Progress in four equal parts: selected, comparisons, scaling, tiles.
    const auto part = [&](int index) {
        return [&keep_going, index](int done, int total) {
            if (!keep_going) return true;
            const int scaled = total > 0 ? done * 100 / total : 100;
            return keep_going(index * 100 + scaled, 400);
        };
    };

    report_progress(keep_going, 0, 400);
    request.timeline = config.model == sim::Model::cycle;
    snap.selected = sim::simulate(request);
    request.timeline = false;

    const std::vector<Algorithm> algorithms = all_algorithms();
    snap.by_algorithm.resize(algorithms.size());
    for (const Algorithm algorithm : algorithms) {
        const std::size_t i = algorithm.index();
        report_progress(part(1), static_cast<int>(i), static_cast<int>(algorithms.size()));
        if (algorithm == config.algorithm) {
            auto copy = snap.selected;
            copy.timeline.clear();
            snap.by_algorithm[i] = std::move(copy);
            continue;
        }
        auto other = request;
        other.algorithm = algorithm;
        other.tile = {};
        try {
            snap.by_algorithm[i] = sim::simulate(other);
        } catch (const std::exception&) {
            snap.by_algorithm[i].reset();
        }
    }
    snap.scaling = sweep_scaling(request, part(2));
    if (early) {
        snap.compute_seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        early(snap);
    }
    snap.tiles = sweep_tiles(request, part(3));
    snap.tiles_ready = true;
    snap.compute_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return snap;
}

}  // namespace flashscope::gui
