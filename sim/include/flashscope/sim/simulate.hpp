#pragma once
// The simulator's entry point: a configuration (problem + algorithm + tile + GPU) in, a Result
// out. Throws ConfigError for any configuration that cannot run, naming field, value and limit.
#include <functional>

#include "flashscope/sim/gpu_spec.hpp"
#include "flashscope/sim/result.hpp"
#include "flashscope/sim/schedule.hpp"

namespace flashscope::sim {

struct SimulationRequest {
    GpuSpec gpu;
    AttentionProblem problem;
    Algorithm algorithm = Algorithm::flash2;
    TileConfig tile;  // zero fields are chosen by resolve_tile()
    Model model = Model::cycle;
    ScheduleOptions options;
    bool timeline = false;  // cycle model only
    std::int64_t timeline_points = 2000;
    // Cycle model: called now and then with the fraction of the work issued (0..1), for a
    // progress display. Empty: none.
    std::function<void(double fraction)> progress;
};

Result simulate(const SimulationRequest& request);

}  // namespace flashscope::sim
