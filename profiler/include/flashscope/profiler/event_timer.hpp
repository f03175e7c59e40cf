#pragma once
// CUDA-event timing outside the profiler, used by the profiler's ranges and by `flashscope bench`.
//
// median_launch_seconds times each launch of a list: one warm-up run of the whole list, then
// `runs` runs of the list, the L2 flushed before launch i when flush_before[i]; the median per
// launch. list_run_seconds times the whole list as one region: `warmup` untimed runs, then `runs`
// timed runs, the L2 flushed before each (outside the timed region) when a flusher is given; the
// seconds of each run. Each timed region is queued behind a StreamHold: the events time the GPU's
// work, not the host's launch calls (which an idle GPU would otherwise wait for inside the region).
#include <cstdint>
#include <vector>

#include "flashscope/profiler/l2_flusher.hpp"
#include "flashscope/profiler/range_launch.hpp"

namespace flashscope::profiler {

std::vector<double> median_launch_seconds(const std::vector<RangeLaunch>& launches, int runs,
                                          L2Flusher* flusher, const std::vector<bool>& flush_before,
                                          cudaStream_t stream);

std::vector<double> list_run_seconds(const std::vector<RangeLaunch>& launches, int warmup, int runs,
                                     L2Flusher* flusher, cudaStream_t stream);

double median_of(std::vector<double> values);  // 0 for an empty list

}  // namespace flashscope::profiler
