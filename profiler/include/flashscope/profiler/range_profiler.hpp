#pragma once
// Profiles a list of launches with the CUPTI Range Profiler: one user range per launch, user
// replay (the list runs once per pass), the L2 flushed before each range and outside it, all
// launches on one stream, synchronized before each push and pop. One object per process at a time.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "flashscope/profiler/counter_conversion.hpp"
#include "flashscope/profiler/device_info.hpp"
#include "flashscope/profiler/l2_protocol.hpp"
#include "flashscope/profiler/metric_group.hpp"
#include "flashscope/profiler/range_launch.hpp"

namespace flashscope::profiler {

struct ProfileOptions {
    std::vector<MetricGroup> groups = default_metric_groups();
    L2Protocol l2 = L2Protocol::isolated;  // see l2_protocol.hpp
    int timing_runs = 5;                   // CUDA-event runs per launch (median); 0 skips timing
};

struct RangeMeasurement {
    std::string name;
    CounterValues counters;
    double event_seconds = 0;  // median CUDA-event time, 0 when not timed
};

struct ProfileResult {
    std::vector<RangeMeasurement> ranges;  // one per launch, in launch order
    std::vector<SessionPlan> sessions;     // how counters were grouped and their passes
    std::vector<std::string> unsupported;  // optional counters this chip lacks
    double dram_write_after_last = 0;  // chained: DRAM writes of the drain after the last launch
    std::int64_t total_passes() const;
};

class RangeProfiler {
public:
    explicit RangeProfiler(int device = 0);  // throws ProfilerError
    ~RangeProfiler();
    RangeProfiler(const RangeProfiler&) = delete;
    RangeProfiler& operator=(const RangeProfiler&) = delete;

    const DeviceInfo& device() const;
    const std::string& chip() const;  // e.g. "GH100"

    // Plans sessions for the groups (dropping counters the chip lacks from optional groups).
    std::vector<SessionPlan> plan(const std::vector<MetricGroup>& groups,
                                  std::vector<std::string>* unsupported = nullptr);

    ProfileResult profile(const std::vector<RangeLaunch>& launches,
                          const ProfileOptions& options = {});

private:
    struct State;
    std::unique_ptr<State> m_state;
};

}  // namespace flashscope::profiler
