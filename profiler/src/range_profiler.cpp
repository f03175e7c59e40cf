#include "flashscope/profiler/range_profiler.hpp"

#include <cuda.h>
#include <cupti_profiler_target.h>
#include <cupti_target.h>

#include <algorithm>
#include <optional>

#include "cuda_check.hpp"
#include "flashscope/profiler/counter_names.hpp"
#include "flashscope/profiler/event_timer.hpp"
#include "flashscope/profiler/profiler_error.hpp"
#include "host_config.hpp"
#include "range_session.hpp"

namespace flashscope::profiler {

struct RangeProfiler::State {
    DeviceInfo device;
    std::string chip;
    CUcontext ctx = nullptr;
    cudaStream_t stream = nullptr;
    std::vector<std::uint8_t> availability;
    std::optional<L2Flusher> flusher;
    bool cupti_initialized = false;

    ~State() {
        if (stream) cudaStreamDestroy(stream);
        if (cupti_initialized) {
            auto p = cupti_params(CUpti_Profiler_DeInitialize_Params);
            cuptiProfilerDeInitialize(&p);
        }
    }
};

namespace {

void check_device_supported(int device) {
    auto p = cupti_params(CUpti_Profiler_DeviceSupported_Params);
    p.cuDevice = device;
    p.api = CUPTI_PROFILER_RANGE_PROFILING;
    detail::check_cupti(cuptiProfilerDeviceSupported(&p), "cuptiProfilerDeviceSupported");
    if (p.isSupported == CUPTI_PROFILER_CONFIGURATION_SUPPORTED) return;
    std::string why;
    if (p.architecture != CUPTI_PROFILER_CONFIGURATION_SUPPORTED)
        why += " architecture (needs compute capability >= 7.0);";
    if (p.vGpu != CUPTI_PROFILER_CONFIGURATION_SUPPORTED) why += " vGPU without profiling enabled;";
    if (p.confidentialCompute != CUPTI_PROFILER_CONFIGURATION_SUPPORTED)
        why += " confidential computing;";
    if (p.cmp != CUPTI_PROFILER_CONFIGURATION_SUPPORTED) why += " CMP device;";
    if (p.wsl != CUPTI_PROFILER_CONFIGURATION_SUPPORTED) why += " WSL;";
    if (p.sli != CUPTI_PROFILER_CONFIGURATION_SUPPORTED) why += " SLI;";
    throw ProfilerError(ProfilerErrorKind::unsupported_device,
                        "device " + std::to_string(device) + " cannot be profiled:" + why);
}

std::vector<std::uint8_t> counter_availability(CUcontext ctx) {
    auto p = cupti_params(CUpti_Profiler_GetCounterAvailability_Params);
    p.ctx = ctx;
    detail::check_cupti(cuptiProfilerGetCounterAvailability(&p),
                        "cuptiProfilerGetCounterAvailability");
    std::vector<std::uint8_t> image(p.counterAvailabilityImageSize);
    p.pCounterAvailabilityImage = image.data();
    detail::check_cupti(cuptiProfilerGetCounterAvailability(&p),
                        "cuptiProfilerGetCounterAvailability");
    return image;
}

// The driver's current context, reached through the runtime so the library needs no libcuda at
// link time (binaries then load on machines without a driver and report no_device instead).
CUcontext current_context() {
    using GetCurrent = CUresult (*)(CUcontext*);
    void* fn = nullptr;
    cudaDriverEntryPointQueryResult found{};
    detail::check_cuda(
        cudaGetDriverEntryPointByVersion("cuCtxGetCurrent", &fn, 12000, cudaEnableDefault, &found),
        "cudaGetDriverEntryPoint(cuCtxGetCurrent)");
    CUcontext ctx = nullptr;
    if (found != cudaDriverEntryPointSuccess || fn == nullptr ||
        reinterpret_cast<GetCurrent>(fn)(&ctx) != CUDA_SUCCESS || ctx == nullptr)
        throw ProfilerError(ProfilerErrorKind::cuda, "no current CUDA context");
    return ctx;
}

}  // namespace

std::int64_t ProfileResult::total_passes() const {
    std::int64_t total = 0;
    for (const auto& s : sessions) total += s.passes;
    return total;
}

RangeProfiler::RangeProfiler(int device) : m_state(std::make_unique<State>()) {
    State& s = *m_state;
    s.device = device_info(device);  // throws no_device
    detail::check_cuda(cudaSetDevice(device), "cudaSetDevice");
    detail::check_cuda(cudaFree(nullptr), "creating the CUDA context");
    s.ctx = current_context();
    detail::check_cuda(cudaStreamCreateWithFlags(&s.stream, cudaStreamNonBlocking),
                       "cudaStreamCreate");

    auto init = cupti_params(CUpti_Profiler_Initialize_Params);
    detail::check_cupti(cuptiProfilerInitialize(&init), "cuptiProfilerInitialize");
    s.cupti_initialized = true;
    check_device_supported(device);

    auto chip = cupti_params(CUpti_Device_GetChipName_Params);
    chip.deviceIndex = static_cast<std::size_t>(device);
    detail::check_cupti(cuptiDeviceGetChipName(&chip), "cuptiDeviceGetChipName");
    s.chip = chip.pChipName ? chip.pChipName : "";
    s.availability = counter_availability(s.ctx);
}

RangeProfiler::~RangeProfiler() = default;

const DeviceInfo& RangeProfiler::device() const {
    return m_state->device;
}
const std::string& RangeProfiler::chip() const {
    return m_state->chip;
}

std::vector<SessionPlan> RangeProfiler::plan(const std::vector<MetricGroup>& groups,
                                             std::vector<std::string>* unsupported) {
    State& s = *m_state;
    std::vector<MetricGroup> usable;
    {
        detail::HostConfig probe(s.chip, s.availability);
        for (const auto& group : groups) {
            MetricGroup kept{group.name, {}, group.required};
            for (const auto& counter : group.counters) {
                if (probe.supports(counter)) {
                    kept.counters.push_back(counter);
                } else if (group.required) {
                    throw ProfilerError(ProfilerErrorKind::unsupported_metric,
                                        "counter " + counter + " (group " + group.name +
                                            ") is not available on chip " + s.chip);
                } else if (unsupported) {
                    unsupported->push_back(counter);
                }
            }
            usable.push_back(std::move(kept));
        }
    }
    auto pass_count = [&](const std::vector<std::string>& counters) {
        detail::HostConfig config(s.chip, s.availability);
        config.add(counters);
        return config.passes();
    };
    auto plans = plan_sessions(usable, pass_count);
    if (!plans.empty() && plans.front().passes > 1)
        throw ProfilerError(ProfilerErrorKind::unsupported_metric,
                            "the core counters need " + std::to_string(plans.front().passes) +
                                " passes on chip " + s.chip + "; they must come from one pass");
    return plans;
}

ProfileResult RangeProfiler::profile(const std::vector<RangeLaunch>& launches,
                                     const ProfileOptions& options) {
    State& s = *m_state;
    ProfileResult result;
    for (const auto& launch : launches) result.ranges.push_back({launch.name, {}, 0.0});
    if (launches.empty()) return result;
    if (options.l2 != L2Protocol::none && !s.flusher) s.flusher.emplace(s.device.l2_bytes);
    L2Flusher* flusher = options.l2 != L2Protocol::none ? &*s.flusher : nullptr;
    detail::check_cuda(cudaCtxResetPersistingL2Cache(), "cudaCtxResetPersistingL2Cache");
    const RangeLayout layout = range_layout(launches.size(), options.l2);

    result.sessions = plan(options.groups, &result.unsupported);
    const std::string dram_write(counters::dram_write_bytes);
    for (auto& session : result.sessions) {
        detail::HostConfig config(s.chip, s.availability);
        config.add(session.counters);
        detail::RangeSession target(s.ctx, config.config_image(), session.counters,
                                    layout.range_count);
        session.passes = target.run(launches, layout, session.passes, flusher, s.stream);
        const auto& data = target.decode();
        const auto names = target.range_names();
        if (names.size() != layout.range_count)
            throw ProfilerError(ProfilerErrorKind::ranges_dropped,
                                "expected " + std::to_string(layout.range_count) +
                                    " ranges, CUPTI has " + std::to_string(names.size()));
        const bool has_dram_write = std::find(session.counters.begin(), session.counters.end(),
                                              dram_write) != session.counters.end();
        for (std::size_t r = 0; r < launches.size(); ++r) {
            const std::size_t index = layout.kernel_range[r];
            if (names[index] != launches[r].name)
                throw ProfilerError(ProfilerErrorKind::cupti,
                                    "range " + std::to_string(index) + " is '" + names[index] +
                                        "', expected '" + launches[r].name + "'");
            const auto values = config.evaluate(data, index, session.counters);
            for (std::size_t c = 0; c < values.size(); ++c)
                result.ranges[r].counters[session.counters[c]] = values[c];
            if (!has_dram_write || !layout.drain_range[r]) continue;
            const double after = config.evaluate(data, *layout.drain_range[r], {dram_write})[0];
            if (options.l2 == L2Protocol::isolated)
                result.ranges[r].counters[std::string(counters::l2_writeback_after)] = after;
            else
                result.dram_write_after_last = after;
        }
    }
    if (options.timing_runs > 0) {
        const auto seconds = median_launch_seconds(launches, options.timing_runs, flusher,
                                                   layout.flush_before, s.stream);
        for (std::size_t r = 0; r < seconds.size(); ++r)
            result.ranges[r].event_seconds = seconds[r];
    }
    return result;
}

}  // namespace flashscope::profiler
