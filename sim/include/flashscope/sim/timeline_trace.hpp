#pragma once
// The simulated timeline as a Chrome trace (core/chrome_trace.hpp), for Perfetto and
// chrome://tracing: per result one process holding a "kernels" track (one slice per kernel, its
// scheduling facts as arguments), CTA-wave tracks (overlapping waves on extra lanes) and one
// counter track per resource with its busy percentage, the GUI timeline view's lanes.
#include <string>
#include <vector>

#include "flashscope/core/chrome_trace.hpp"
#include "flashscope/sim/result.hpp"

namespace flashscope::sim {

inline constexpr int k_trace_kernels_tid = 1;
inline constexpr int k_trace_first_wave_tid = 10;

// Kernel begin times: the kernels run back to back from 0, as the cycle engine runs them.
std::vector<double> kernel_begin_times(const Result& result);

// Adds `result` as process `pid`; its name says algorithm, GPU and model after `label`.
void add_timeline_trace(ChromeTrace& trace, const Result& result, int pid,
                        const std::string& label);

// Every result, processes 1..n: `simulate --timeline FILE --timeline-format chrome`.
std::string timeline_chrome_trace(const std::vector<Result>& results);

}  // namespace flashscope::sim
