#pragma once
// simulate's flags: one per row of the simulation options table (flashscope/sim/
// simulation_options.hpp), so every option a sweep file or a session accepts is a flag too.
#include <CLI/CLI.hpp>
#include <utility>
#include <vector>

#include "flashscope/sim/simulation_options.hpp"

namespace flashscope::cli {

class SimulationFlags {
public:
    explicit SimulationFlags(CLI::App& command);  // adds the flags to `command`

    // What the parsed command line gives: the axes in product order, algo's run defaults added.
    // Throws ConfigError for a flag given twice (for algo: a value given twice), a shorthand with
    // a flag it covers (--seq with --seq-q) or a flag that would change nothing.
    std::vector<sim::OptionAxis> axes() const;

private:
    std::vector<std::pair<const sim::SimulationOption*, CLI::Option*>> m_flags;
};

}  // namespace flashscope::cli
