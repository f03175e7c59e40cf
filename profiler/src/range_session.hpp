#pragma once
// Internal: the target side of one CUPTI range-profiling session on a context — enable, counter
// data image, SetConfig (user ranges, user replay), the pass loop, decode, disable.
#include <cuda.h>
#include <cupti_range_profiler.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "flashscope/profiler/l2_flusher.hpp"
#include "flashscope/profiler/l2_protocol.hpp"
#include "flashscope/profiler/range_launch.hpp"

namespace flashscope::profiler::detail {

const std::string& drain_suffix();  // "#l2_drain"

class RangeSession {
public:
    RangeSession(CUcontext ctx, const std::vector<std::uint8_t>& config_image,
                 const std::vector<std::string>& counters, std::size_t ranges);
    ~RangeSession();
    RangeSession(const RangeSession&) = delete;
    RangeSession& operator=(const RangeSession&) = delete;

    // Replays the launches until CUPTI has all passes; returns the passes run.
    // Ranges follow `layout`; a drain range is named "<launch name>#l2_drain" and reads the
    // flush buffer (see L2Flusher::drain). flusher may be null only for L2Protocol::none.
    std::int64_t run(const std::vector<RangeLaunch>& launches, const RangeLayout& layout,
                     std::int64_t expected_passes, L2Flusher* flusher, cudaStream_t stream);
    // Decodes the hardware data; throws when ranges were dropped.
    const std::vector<std::uint8_t>& decode();
    std::vector<std::string> range_names() const;

private:
    void in_range(const std::string& name, const std::function<void()>& work, cudaStream_t stream);

    CUpti_RangeProfiler_Object* m_object = nullptr;
    std::vector<std::uint8_t> m_counter_data;
};

}  // namespace flashscope::profiler::detail
