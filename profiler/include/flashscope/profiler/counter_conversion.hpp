#pragma once
// Hardware counter values -> flashscope's result fields (core/metrics.hpp). The conversions are
// documented in docs/COUNTERS.md; every one is a plain function so it can be checked without a GPU.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "flashscope/core/dtype.hpp"
#include "flashscope/core/metrics.hpp"

namespace flashscope::profiler {

using CounterValues = std::map<std::string, double>;  // counter name -> value of one range

std::optional<double> find_counter(const CounterValues& values, const std::string& name);

// Fields whose counters are absent are left at 0 and reported as not measured by
// measured_fields(). time_s comes from gpu__time_duration here; callers that time with CUDA
// events overwrite it.
Metrics metrics_from_counters(const CounterValues& values);

// Names of metric_table() fields that the counters in values can measure.
std::vector<std::string> measured_fields(const CounterValues& values);

// SM clock of the range in Hz, 0 when not collected.
double sm_clock_hz(const CounterValues& values);

}  // namespace flashscope::profiler
