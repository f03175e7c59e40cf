#pragma once
// The CUDA device the profiler measures on.
#include <cstdint>
#include <string>

namespace flashscope::profiler {

struct DeviceInfo {
    int index = 0;
    std::string name;  // e.g. "NVIDIA H100 80GB HBM3"
    int sm_count = 0;
    int cc_major = 0;
    int cc_minor = 0;
    std::int64_t l2_bytes = 0;
    std::int64_t memory_bytes = 0;
};

bool device_present();                   // false when no driver or no device; never throws
DeviceInfo device_info(int device = 0);  // throws ProfilerError(no_device) without one

}  // namespace flashscope::profiler
