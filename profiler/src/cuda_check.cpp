#include "cuda_check.hpp"

#include <cupti.h>

#include <string>

#include "flashscope/profiler/profiler_error.hpp"

namespace flashscope::profiler::detail {

namespace {

constexpr const char* k_privileges_hint =
    "GPU performance counters are restricted to administrators on this machine "
    "(CUPTI_ERROR_INSUFFICIENT_PRIVILEGES, ERR_NVGPUCTRPERM). Run as root or with CAP_SYS_ADMIN, "
    "or "
    "let all users read them: put 'options nvidia NVreg_RestrictProfilingToAdminUsers=0' in "
    "/etc/modprobe.d/nvidia-profiling.conf and reload the nvidia module (or reboot); see "
    "https://developer.nvidia.com/ERR_NVGPUCTRPERM";

constexpr const char* k_busy_hint =
    "another profiler holds the GPU's performance counters (Nsight Compute or Systems, DCGM "
    "profiling metrics, or a second flashscope process): stop it (for DCGM: 'dcgmi profile "
    "--pause') "
    "and retry";

ProfilerErrorKind kind_of(CUptiResult status) {
    switch (status) {
        case CUPTI_ERROR_INSUFFICIENT_PRIVILEGES:
            return ProfilerErrorKind::insufficient_privileges;
        case CUPTI_ERROR_MULTIPLE_SUBSCRIBERS_NOT_SUPPORTED:
        case CUPTI_ERROR_HARDWARE_BUSY:
            return ProfilerErrorKind::profiler_busy;
        case CUPTI_ERROR_NOT_SUPPORTED:
        case CUPTI_ERROR_VIRTUALIZED_DEVICE_NOT_SUPPORTED:
        case CUPTI_ERROR_CONFIDENTIAL_COMPUTING_NOT_SUPPORTED:
        case CUPTI_ERROR_CMP_DEVICE_NOT_SUPPORTED:
        case CUPTI_ERROR_MIG_DEVICE_NOT_SUPPORTED:
        case CUPTI_ERROR_SLI_DEVICE_NOT_SUPPORTED:
        case CUPTI_ERROR_WSL_DEVICE_NOT_SUPPORTED:
        case CUPTI_ERROR_LEGACY_PROFILER_NOT_SUPPORTED:
            return ProfilerErrorKind::unsupported_device;
        case CUPTI_ERROR_INVALID_METRIC_NAME:
            return ProfilerErrorKind::unsupported_metric;
        case CUPTI_ERROR_INVALID_DEVICE:
            return ProfilerErrorKind::no_device;
        default:
            return ProfilerErrorKind::cupti;
    }
}

}  // namespace

void check_cuda(cudaError_t status, const char* what) {
    if (status == cudaSuccess) return;
    const bool no_device = status == cudaErrorNoDevice || status == cudaErrorInsufficientDriver ||
                           status == cudaErrorInvalidDevice;
    std::string message = std::string(what) + ": " + cudaGetErrorString(status);
    if (no_device)
        message += " (no usable CUDA device: is this a GPU machine with the driver loaded?)";
    throw ProfilerError(no_device ? ProfilerErrorKind::no_device : ProfilerErrorKind::cuda,
                        message);
}

void check_cupti(CUptiResult status, const char* what) {
    if (status == CUPTI_SUCCESS) return;
    const char* text = nullptr;
    if (cuptiGetResultString(status, &text) != CUPTI_SUCCESS || text == nullptr) text = "unknown";
    const ProfilerErrorKind kind = kind_of(status);
    std::string message = std::string(what) + " failed: " + text;
    if (kind == ProfilerErrorKind::insufficient_privileges)
        message += ". " + std::string(k_privileges_hint);
    if (kind == ProfilerErrorKind::profiler_busy) message += ". " + std::string(k_busy_hint);
    if (kind == ProfilerErrorKind::unsupported_device)
        message +=
            ". This device or configuration (MIG, vGPU without profiling, WSL, CMP) cannot be "
            "profiled with CUPTI's range profiler";
    throw ProfilerError(kind, message);
}

}  // namespace flashscope::profiler::detail
