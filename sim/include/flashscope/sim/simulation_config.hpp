#pragma once
// A simulation as a user states it: the GPU by name, the problem, the algorithm, the tile, the
// model and the schedule options. simulate's flags, a sweep point, a GUI session and a validation
// case all become one of these (see simulation_options.hpp), and make_request() is the one place
// that turns it into a simulator request.
#include <string>

#include "flashscope/core/algorithm.hpp"
#include "flashscope/core/problem.hpp"
#include "flashscope/core/tile.hpp"
#include "flashscope/sim/gpu_spec.hpp"
#include "flashscope/sim/result.hpp"
#include "flashscope/sim/simulate.hpp"

namespace flashscope::sim {

struct SimulationConfig {
    std::string gpu = "h100-sxm5";  // a preset name or a GPU YAML file
    AttentionProblem problem;
    Algorithm algorithm = Algorithm::flash2;
    TileConfig tile;         // zero fields: chosen by the simulator's rule
    bool tile_best = false;  // `--tile best`: the tile advisor's fastest tile (tile is all 0)
    Model model = Model::cycle;
    bool naive_eager = false;

    bool operator==(const SimulationConfig&) const = default;
};

// The request that simulates `config` on `gpu` (the config's GPU, resolved by the caller once).
// With tile_best it ranks the tiles first (tile_advisor.hpp) and asks for the fastest.
SimulationRequest make_request(const SimulationConfig& config, const GpuSpec& gpu);

// The config's GPU, resolved; throws ConfigError naming "gpu" whatever went wrong.
GpuSpec resolve_config_gpu(const std::string& gpu);

// What can be checked without simulating: the GPU resolves, the problem and the tile are valid.
// Throws ConfigError naming the first bad field.
void check_config(const SimulationConfig& config);

}  // namespace flashscope::sim
