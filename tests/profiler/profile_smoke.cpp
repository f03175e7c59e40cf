// profile-smoke: profiles a copy kernel and prints every counter, the passes and the event time;
// with --list PATTERN also lists the chip's base metrics whose name contains PATTERN.
// A quick probe of CUPTI on a new machine before the whole validation runs.
#include <cupti_profiler_host.h>
#include <cupti_profiler_target.h>

#include <cstdio>
#include <cstring>
#include <exception>
#include <string>

#include "copy_kernel.cuh"
#include "flashscope/profiler/profiler_error.hpp"
#include "flashscope/profiler/range_profiler.hpp"

namespace fp = flashscope::profiler;

namespace {

template <class Params>
Params make_params(std::size_t struct_size) {
    Params p{};
    p.structSize = struct_size;
    return p;
}
#define cupti_params(T) make_params<T>(T##_STRUCT_SIZE)

void list_base_metrics(const std::string& chip, const char* pattern) {
    auto a = cupti_params(CUpti_Profiler_GetCounterAvailability_Params);
    cuptiProfilerGetCounterAvailability(&a);
    std::vector<std::uint8_t> image(a.counterAvailabilityImageSize);
    a.pCounterAvailabilityImage = image.data();
    cuptiProfilerGetCounterAvailability(&a);
    auto h = cupti_params(CUpti_Profiler_Host_Initialize_Params);
    h.profilerType = CUPTI_PROFILER_TYPE_RANGE_PROFILER;
    h.pChipName = chip.c_str();
    h.pCounterAvailabilityImage = image.data();
    if (cuptiProfilerHostInitialize(&h) != CUPTI_SUCCESS) return;
    for (auto type :
         {CUPTI_METRIC_TYPE_COUNTER, CUPTI_METRIC_TYPE_RATIO, CUPTI_METRIC_TYPE_THROUGHPUT}) {
        auto b = cupti_params(CUpti_Profiler_Host_GetBaseMetrics_Params);
        b.pHostObject = h.pHostObject;
        b.metricType = type;
        if (cuptiProfilerHostGetBaseMetrics(&b) != CUPTI_SUCCESS) continue;
        for (size_t i = 0; i < b.numMetrics; ++i)
            if (std::strstr(b.ppMetricNames[i], pattern))
                std::printf("metric %s\n", b.ppMetricNames[i]);
    }
    auto d = cupti_params(CUpti_Profiler_Host_Deinitialize_Params);
    d.pHostObject = h.pHostObject;
    cuptiProfilerHostDeinitialize(&d);
}

}  // namespace

int main(int argc, char** argv) {
    try {
        fp::RangeProfiler profiler;
        std::printf("device %s chip %s SMs %d L2 %lld B\n", profiler.device().name.c_str(),
                    profiler.chip().c_str(), profiler.device().sm_count,
                    static_cast<long long>(profiler.device().l2_bytes));
        for (int i = 1; i + 1 < argc; ++i)
            if (std::string(argv[i]) == "--list") list_base_metrics(profiler.chip(), argv[i + 1]);
        fp::test_kit::CopyBuffers copy(256ll << 20);
        std::vector<fp::RangeLaunch> launches = {
            {"copy_a", [&](cudaStream_t s) { copy.copy(s); }},
            {"copy_b", [&](cudaStream_t s) { copy.copy(s); }},
        };
        const auto result = profiler.profile(launches);
        for (const auto& session : result.sessions) {
            std::printf("session passes=%lld groups:", static_cast<long long>(session.passes));
            for (const auto& g : session.group_names) std::printf(" %s", g.c_str());
            std::printf("\n");
        }
        for (const auto& u : result.unsupported) std::printf("unsupported %s\n", u.c_str());
        for (const auto& range : result.ranges) {
            std::printf("range %s event_s=%.6e (copy bytes %lld)\n", range.name.c_str(),
                        range.event_seconds, static_cast<long long>(copy.bytes()));
            for (const auto& [name, value] : range.counters)
                std::printf("  %-70s %.6e\n", name.c_str(), value);
        }
        return 0;
    } catch (const fp::ProfilerError& e) {
        std::fprintf(stderr, "profile-smoke: %s error: %s\n",
                     std::string(fp::to_string(e.kind())).c_str(), e.what());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "profile-smoke: error: %s\n", e.what());
        return 1;
    }
}
