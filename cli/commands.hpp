#pragma once
// Each subcommand registers itself on the root CLI11 app from its own file. A subcommand's
// callback reports failure by throwing; main() turns that into one line on stderr: exit 2 for a
// usage error (ConfigError, UsageError, a CLI11 parse error), 1 for anything else
// (error_report.hpp).
#include <CLI/CLI.hpp>

namespace flashscope::cli {

void add_simulate_command(CLI::App& app);   // simulate_command.cpp
void add_gpus_command(CLI::App& app);       // gpus_command.cpp
void add_tiles_command(CLI::App& app);      // tiles_command.cpp
void add_sweep_command(CLI::App& app);      // sweep_command.cpp
void add_merge_command(CLI::App& app);      // merge_command.cpp
void add_bench_command(CLI::App& app);      // bench_command.cpp (CUDA builds)
void add_validate_command(CLI::App& app);   // validate_command.cpp
void add_calibrate_command(CLI::App& app);  // calibrate_command.cpp (runs in CUDA builds)
void add_plot_command(CLI::App& app);       // plot_command.cpp (runs flashscope-plot)

}  // namespace flashscope::cli
