#pragma once
// Everything the parameter panel edits is one simulation configuration, the same one simulate's
// flags, sweep files and session files give (flashscope/sim/simulation_options.hpp).
#include <string>

#include "flashscope/sim/simulation_config.hpp"

namespace flashscope::gui {

using GuiConfiguration = sim::SimulationConfig;
using sim::make_request;

// Throws ConfigError naming "gpu" when the preset or file cannot be loaded.
inline sim::GpuSpec resolve_gpu_source(const std::string& gpu) {
    return sim::resolve_config_gpu(gpu);
}

// The command line `flashscope simulate` needs for this configuration (options that would change
// nothing on the command line, such as naive eager mode for flash2, are left out).
std::string equivalent_cli(const GuiConfiguration& config);

}  // namespace flashscope::gui
