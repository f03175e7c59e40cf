#pragma once
// `flashscope calibrate`'s work: runs every microbenchmark on the current CUDA device, reads its
// attributes, and fills a preset (preset_writer.hpp) whose every value names its source.
#include <functional>
#include <string>

#include "flashscope/ceilings/preset_writer.hpp"

namespace flashscope::ceilings {

struct CalibrationOptions {
    std::string name;     // the preset's name; empty: from the device's name ("nvidia-h200")
    int runs = 5;         // each measurement is the median of this many runs
    std::string command;  // the command line, written into the header
    // No microbenchmark here gives the dirty-line limit (it needs the CUPTI counters of
    // docs/COUNTERS.md): the caller passes a value with its source.
    Sourced l2_dirty_limit_mib;
};

// One line per benchmark as it finishes ("[3/27] mufu ex2 rate: 15.98 per clk per SM").
using Progress = std::function<void(const std::string&)>;

PresetText run_calibration(const CalibrationOptions& options, const Progress& progress);

}  // namespace flashscope::ceilings
