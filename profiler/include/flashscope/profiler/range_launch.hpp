#pragma once
// Work to profile: named launches, each enqueuing exactly one kernel on the given stream. A list of
// them must be repeatable (the profiler replays it once per pass and the timer several times).
#include <cuda_runtime_api.h>

#include <functional>
#include <string>

namespace flashscope::profiler {

struct RangeLaunch {
    std::string name;
    std::function<void(cudaStream_t)> run;
};

}  // namespace flashscope::profiler
