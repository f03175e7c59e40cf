#pragma once
// Runs a suite on the device: per configuration random inputs, the kernels under the profiler,
// the simulator on the same configuration, joined per kernel.
#include <cstdint>
#include <iosfwd>
#include <string>

#include "flashscope/profiler/l2_protocol.hpp"
#include "flashscope/sim/result.hpp"
#include "flashscope/validate/suite.hpp"
#include "flashscope/validate/validation_file.hpp"

namespace flashscope::validate {

struct RunOptions {
    std::string gpu_preset;  // empty: found from the device name
    sim::Model model = sim::Model::cycle;
    // chained mirrors the simulator's cycle model (L2 cold at the start of a pass, shared by its
    // kernels, dirty data at the end reported apart); isolated measures each kernel cold.
    profiler::L2Protocol l2 = profiler::L2Protocol::chained;
    int timing_runs = 5;
    std::uint64_t seed = 1;
    std::string suite_name;
    std::string command;
    std::int64_t max_cases = 0;  // 0: all
    // Also collect profiler::instruction_metric_group() (the inst_* and local_*_bytes fields).
    bool instruction_counters = false;
};

// Throws ConfigError when no preset matches the device and none was given, ProfilerError when
// the counters cannot be read. A configuration that cannot run (tile not built, out of memory,
// simulator refuses) is reported on `progress` and skipped. With the chained protocol and the cycle
// model, each configuration also gets a record named "l2_dirty_at_end" comparing the simulator's
// l2_dirty_at_end_bytes with the DRAM writes of the drain after the last kernel (hbm_write_bytes).
ValidationRun run_validation(const ValidationSuite& suite, const RunOptions& options,
                             std::ostream& progress);

}  // namespace flashscope::validate
