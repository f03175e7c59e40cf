#pragma once
// Times each launch of a list with CUDA events, outside the profiler: one warm-up run of the whole
// list, then `runs` runs of the list, the L2 flushed before launch i when flush_before[i]; the
// median per launch.
#include <cstdint>
#include <vector>

#include "flashscope/profiler/l2_flusher.hpp"
#include "flashscope/profiler/range_launch.hpp"

namespace flashscope::profiler {

std::vector<double> median_launch_seconds(const std::vector<RangeLaunch>& launches, int runs,
                                          L2Flusher* flusher, const std::vector<bool>& flush_before,
                                          cudaStream_t stream);

double median_of(std::vector<double> values);  // 0 for an empty list

}  // namespace flashscope::profiler
