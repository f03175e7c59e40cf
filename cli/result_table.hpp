#pragma once
// Human-readable output: results side by side, one column per algorithm.
#include <string>
#include <vector>

#include "flashscope/sim/gpu_spec.hpp"
#include "flashscope/sim/result.hpp"

namespace flashscope::cli {

std::string format_bytes(double bytes);   // "1.50 GiB"
std::string format_seconds(double secs);  // "412 us", "3.10 ms"
std::string format_count(double value);   // "1.23e+12" style with SI prefixes: "1.23 T"

std::string result_table(const std::vector<sim::Result>& results, const sim::GpuSpec& gpu);

}  // namespace flashscope::cli
