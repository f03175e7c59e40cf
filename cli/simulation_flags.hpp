#pragma once
// simulate's flags: one per row of the simulation options table (flashscope/sim/
// simulation_options.hpp), so every option a sweep file or a session accepts is a flag too.
#include <CLI/CLI.hpp>
#include <string_view>
#include <utility>
#include <vector>

#include "flashscope/sim/simulation_options.hpp"

namespace flashscope::cli {

class SimulationFlags {
public:
    explicit SimulationFlags(CLI::App& command);  // adds the flags to `command`
    // Every row but those of `leave_out`, for a command that has flags of its own for them
    // (validate's --gpu and --model serve its suite too).
    SimulationFlags(CLI::App& command, const std::vector<std::string_view>& leave_out);

    std::vector<CLI::Option*> options() const;  // the flags added, in table order

    // What the parsed command line gives: the axes in product order, algo's run defaults added.
    // Throws ConfigError for a flag given twice (for algo: a value given twice), a shorthand with
    // a flag it covers (--seq with --seq-q) or a flag that would change nothing.
    std::vector<sim::OptionAxis> axes() const;
    // The flags given, nothing added for those not given (a command that reads one
    // configuration composes them onto the defaults). Throws ConfigError as axes() does, but
    // leaves the check of ineffective flags to the caller.
    std::vector<sim::OptionAxis> given_axes() const;

private:
    std::vector<std::pair<const sim::SimulationOption*, CLI::Option*>> m_flags;
};

}  // namespace flashscope::cli
