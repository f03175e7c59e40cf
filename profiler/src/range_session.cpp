#include "range_session.hpp"

#include "cuda_check.hpp"
#include "flashscope/profiler/profiler_error.hpp"
#include "host_config.hpp"

namespace flashscope::profiler::detail {

RangeSession::RangeSession(CUcontext ctx, const std::vector<std::uint8_t>& config_image,
                           const std::vector<std::string>& counters, std::size_t ranges) {
    auto e = cupti_params(CUpti_RangeProfiler_Enable_Params);
    e.ctx = ctx;
    check_cupti(cuptiRangeProfilerEnable(&e), "cuptiRangeProfilerEnable");
    m_object = e.pRangeProfilerObject;

    auto names = c_names(counters);
    auto s = cupti_params(CUpti_RangeProfiler_GetCounterDataSize_Params);
    s.pRangeProfilerObject = m_object;
    s.pMetricNames = names.data();
    s.numMetrics = names.size();
    s.maxNumOfRanges = ranges;
    s.maxNumRangeTreeNodes = static_cast<std::uint32_t>(ranges);
    check_cupti(cuptiRangeProfilerGetCounterDataSize(&s), "cuptiRangeProfilerGetCounterDataSize");
    m_counter_data.assign(s.counterDataSize, 0);

    auto i = cupti_params(CUpti_RangeProfiler_CounterDataImage_Initialize_Params);
    i.pRangeProfilerObject = m_object;
    i.counterDataSize = m_counter_data.size();
    i.pCounterData = m_counter_data.data();
    check_cupti(cuptiRangeProfilerCounterDataImageInitialize(&i),
                "cuptiRangeProfilerCounterDataImageInitialize");

    auto c = cupti_params(CUpti_RangeProfiler_SetConfig_Params);
    c.pRangeProfilerObject = m_object;
    c.configSize = config_image.size();
    c.pConfig = config_image.data();
    c.counterDataImageSize = m_counter_data.size();
    c.pCounterDataImage = m_counter_data.data();
    c.range = CUPTI_UserRange;
    c.replayMode = CUPTI_UserReplay;
    c.maxRangesPerPass = ranges;
    c.numNestingLevels = 1;
    c.minNestingLevel = 1;
    c.passIndex = 0;
    c.targetNestingLevel = 1;
    check_cupti(cuptiRangeProfilerSetConfig(&c), "cuptiRangeProfilerSetConfig");
}

RangeSession::~RangeSession() {
    if (!m_object) return;
    auto d = cupti_params(CUpti_RangeProfiler_Disable_Params);
    d.pRangeProfilerObject = m_object;
    cuptiRangeProfilerDisable(&d);
}

const std::string& drain_suffix() {
    static const std::string suffix = "#l2_drain";
    return suffix;
}

void RangeSession::in_range(const std::string& name, const std::function<void()>& work,
                            cudaStream_t stream) {
    auto push = cupti_params(CUpti_RangeProfiler_PushRange_Params);
    push.pRangeProfilerObject = m_object;
    push.pRangeName = name.c_str();
    check_cupti(cuptiRangeProfilerPushRange(&push), "cuptiRangeProfilerPushRange");
    work();
    check_cuda(cudaGetLastError(), name.c_str());
    check_cuda(cudaStreamSynchronize(stream), name.c_str());
    auto pop = cupti_params(CUpti_RangeProfiler_PopRange_Params);
    pop.pRangeProfilerObject = m_object;
    check_cupti(cuptiRangeProfilerPopRange(&pop), "cuptiRangeProfilerPopRange");
}

std::int64_t RangeSession::run(const std::vector<RangeLaunch>& launches, const RangeLayout& layout,
                               std::int64_t expected_passes, L2Flusher* flusher,
                               cudaStream_t stream) {
    std::int64_t passes = 0;
    bool all_submitted = false;
    while (!all_submitted) {
        if (passes > expected_passes + 1)
            throw ProfilerError(ProfilerErrorKind::cupti,
                                "CUPTI asked for more passes than the configuration needs (" +
                                    std::to_string(expected_passes) + ")");
        auto start = cupti_params(CUpti_RangeProfiler_Start_Params);
        start.pRangeProfilerObject = m_object;
        check_cupti(cuptiRangeProfilerStart(&start), "cuptiRangeProfilerStart");
        for (std::size_t i = 0; i < launches.size(); ++i) {
            const auto& launch = launches[i];
            if (flusher && layout.flush_before[i]) flusher->flush(stream);
            check_cuda(cudaStreamSynchronize(stream), "synchronize before range");
            in_range(
                launch.name, [&] { launch.run(stream); }, stream);
            if (flusher && layout.drain_range[i])
                in_range(
                    launch.name + drain_suffix(), [&] { flusher->drain(stream); }, stream);
        }
        auto stop = cupti_params(CUpti_RangeProfiler_Stop_Params);
        stop.pRangeProfilerObject = m_object;
        check_cupti(cuptiRangeProfilerStop(&stop), "cuptiRangeProfilerStop");
        all_submitted = stop.isAllPassSubmitted != 0;
        ++passes;
    }
    return passes;
}

const std::vector<std::uint8_t>& RangeSession::decode() {
    auto d = cupti_params(CUpti_RangeProfiler_DecodeData_Params);
    d.pRangeProfilerObject = m_object;
    check_cupti(cuptiRangeProfilerDecodeData(&d), "cuptiRangeProfilerDecodeData");
    if (d.numOfRangeDropped != 0)
        throw ProfilerError(ProfilerErrorKind::ranges_dropped,
                            std::to_string(d.numOfRangeDropped) + " profiler ranges were dropped");
    return m_counter_data;
}

std::vector<std::string> RangeSession::range_names() const {
    auto info = cupti_params(CUpti_RangeProfiler_GetCounterDataInfo_Params);
    info.pCounterDataImage = m_counter_data.data();
    info.counterDataImageSize = m_counter_data.size();
    check_cupti(cuptiRangeProfilerGetCounterDataInfo(&info),
                "cuptiRangeProfilerGetCounterDataInfo");
    std::vector<std::string> names;
    for (std::size_t r = 0; r < info.numTotalRanges; ++r) {
        auto p = cupti_params(CUpti_RangeProfiler_CounterData_GetRangeInfo_Params);
        p.pCounterDataImage = m_counter_data.data();
        p.counterDataImageSize = m_counter_data.size();
        p.rangeIndex = r;
        p.rangeDelimiter = "/";
        check_cupti(cuptiRangeProfilerCounterDataGetRangeInfo(&p),
                    "cuptiRangeProfilerCounterDataGetRangeInfo");
        names.emplace_back(p.rangeName ? p.rangeName : "");
    }
    return names;
}

}  // namespace flashscope::profiler::detail
