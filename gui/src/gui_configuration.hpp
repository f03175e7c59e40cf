#pragma once
// Everything the parameter panel edits: where the GPU comes from, the problem, the algorithm, the
// tile and the model. Turns into a simulator request; saved and restored by session files.
#include <string>

#include "flashscope/core/algorithm.hpp"
#include "flashscope/core/problem.hpp"
#include "flashscope/core/tile.hpp"
#include "flashscope/sim/gpu_spec.hpp"
#include "flashscope/sim/result.hpp"
#include "flashscope/sim/simulate.hpp"

namespace flashscope::gui {

struct GuiConfiguration {
    std::string gpu = "h100-sxm5";  // a preset name, or a path to a GPU YAML file
    AttentionProblem problem;
    Algorithm algorithm = Algorithm::flash2;
    TileConfig tile;  // zero fields: chosen by the simulator's rule
    sim::Model model = sim::Model::cycle;
    bool naive_eager = false;

    bool operator==(const GuiConfiguration&) const = default;
};

// Throws ConfigError naming "gpu" when the preset or file cannot be loaded.
sim::GpuSpec resolve_gpu_source(const std::string& gpu);

sim::SimulationRequest make_request(const GuiConfiguration& config, const sim::GpuSpec& gpu);

// The same command line `flashscope simulate` would need for this configuration.
std::string equivalent_cli(const GuiConfiguration& config);

}  // namespace flashscope::gui
