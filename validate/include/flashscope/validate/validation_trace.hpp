#pragma once
// The kernel times of a validation run as a Chrome trace (core/chrome_trace.hpp): per configuration
// one process with a "measured" and a "predicted" track, its kernels back to back in record order,
// so measured and simulated times lie side by side in Perfetto (next to a simulated timeline from
// `simulate --timeline-format chrome`). The l2_dirty_at_end pseudo-records are not kernels and are
// left out.
#include <string>

#include "flashscope/core/chrome_trace.hpp"
#include "flashscope/validate/validation_file.hpp"

namespace flashscope::validate {

inline constexpr int k_trace_measured_tid = 1;
inline constexpr int k_trace_predicted_tid = 2;

// Adds one process per configuration from `first_pid` on; returns the next free pid.
int add_validation_trace(ChromeTrace& trace, const ValidationRun& run, int first_pid);
std::string validation_chrome_trace(const ValidationRun& run);

}  // namespace flashscope::validate
