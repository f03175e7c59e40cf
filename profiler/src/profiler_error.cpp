#include "flashscope/profiler/profiler_error.hpp"

namespace flashscope::profiler {

std::string_view to_string(ProfilerErrorKind kind) {
    switch (kind) {
        case ProfilerErrorKind::no_device:
            return "no_device";
        case ProfilerErrorKind::insufficient_privileges:
            return "insufficient_privileges";
        case ProfilerErrorKind::profiler_busy:
            return "profiler_busy";
        case ProfilerErrorKind::unsupported_device:
            return "unsupported_device";
        case ProfilerErrorKind::unsupported_metric:
            return "unsupported_metric";
        case ProfilerErrorKind::ranges_dropped:
            return "ranges_dropped";
        case ProfilerErrorKind::cuda:
            return "cuda";
        case ProfilerErrorKind::cupti:
            return "cupti";
        case ProfilerErrorKind::timing:
            return "timing";
    }
    return "?";
}

ProfilerError::ProfilerError(ProfilerErrorKind kind, const std::string& message)
    : std::runtime_error(message), m_kind(kind) {}

}  // namespace flashscope::profiler
