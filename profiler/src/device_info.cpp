#include "flashscope/profiler/device_info.hpp"

#include <cuda_runtime_api.h>

#include "cuda_check.hpp"

namespace flashscope::profiler {

bool device_present() {
    int count = 0;
    if (cudaGetDeviceCount(&count) != cudaSuccess) {
        (void)cudaGetLastError();
        return false;
    }
    return count > 0;
}

DeviceInfo device_info(int device) {
    int count = 0;
    detail::check_cuda(cudaGetDeviceCount(&count), "cudaGetDeviceCount");
    if (device < 0 || device >= count) detail::check_cuda(cudaErrorInvalidDevice, "device index");
    cudaDeviceProp prop{};
    detail::check_cuda(cudaGetDeviceProperties(&prop, device), "cudaGetDeviceProperties");
    DeviceInfo info;
    info.index = device;
    info.name = prop.name;
    info.sm_count = prop.multiProcessorCount;
    info.cc_major = prop.major;
    info.cc_minor = prop.minor;
    info.l2_bytes = prop.l2CacheSize;
    info.memory_bytes = static_cast<std::int64_t>(prop.totalGlobalMem);
    return info;
}

}  // namespace flashscope::profiler
