#pragma once
// Errors of the profiler. Each carries a kind, so a caller can react (skip a GPU test when there is
// no device) and the CLI can print one line that says what went wrong and how to fix it.
#include <stdexcept>
#include <string>
#include <string_view>

namespace flashscope::profiler {

enum class ProfilerErrorKind {
    no_device,                // no CUDA device or driver
    insufficient_privileges,  // counters restricted to administrators (ERR_NVGPUCTRPERM)
    profiler_busy,            // another profiler (Nsight, DCGM) holds the counters
    unsupported_device,       // device or configuration cannot be profiled (MIG, vGPU, too old)
    unsupported_metric,       // a required counter does not exist on this chip
    ranges_dropped,           // the counter image lost ranges
    cuda,                     // a CUDA runtime or driver call failed
    cupti,                    // any other CUPTI failure
    timing,                   // the timed launches were not queued before the stream hold gave up
};

std::string_view to_string(ProfilerErrorKind kind);

class ProfilerError : public std::runtime_error {
public:
    ProfilerError(ProfilerErrorKind kind, const std::string& message);
    ProfilerErrorKind kind() const { return m_kind; }

private:
    ProfilerErrorKind m_kind;
};

}  // namespace flashscope::profiler
