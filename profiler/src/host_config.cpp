#include "host_config.hpp"

#include "cuda_check.hpp"

namespace flashscope::profiler::detail {

std::vector<const char*> c_names(const std::vector<std::string>& names) {
    std::vector<const char*> out;
    for (const auto& n : names) out.push_back(n.c_str());
    return out;
}

HostConfig::HostConfig(const std::string& chip, const std::vector<std::uint8_t>& availability) {
    auto p = cupti_params(CUpti_Profiler_Host_Initialize_Params);
    p.profilerType = CUPTI_PROFILER_TYPE_RANGE_PROFILER;
    p.pChipName = chip.c_str();
    p.pCounterAvailabilityImage = availability.data();
    check_cupti(cuptiProfilerHostInitialize(&p), "cuptiProfilerHostInitialize");
    m_host = p.pHostObject;
}

HostConfig::~HostConfig() {
    if (!m_host) return;
    auto p = cupti_params(CUpti_Profiler_Host_Deinitialize_Params);
    p.pHostObject = m_host;
    cuptiProfilerHostDeinitialize(&p);
}

bool HostConfig::supports(const std::string& counter) {
    auto p = cupti_params(CUpti_Profiler_Host_GetMetricProperties_Params);
    p.pHostObject = m_host;
    p.pMetricName = counter.c_str();
    return cuptiProfilerHostGetMetricProperties(&p) == CUPTI_SUCCESS;
}

void HostConfig::add(const std::vector<std::string>& counters) {
    auto names = c_names(counters);
    auto p = cupti_params(CUpti_Profiler_Host_ConfigAddMetrics_Params);
    p.pHostObject = m_host;
    p.ppMetricNames = names.data();
    p.numMetrics = names.size();
    check_cupti(cuptiProfilerHostConfigAddMetrics(&p), "cuptiProfilerHostConfigAddMetrics");
    m_image.clear();
}

const std::vector<std::uint8_t>& HostConfig::config_image() {
    if (!m_image.empty()) return m_image;
    auto s = cupti_params(CUpti_Profiler_Host_GetConfigImageSize_Params);
    s.pHostObject = m_host;
    check_cupti(cuptiProfilerHostGetConfigImageSize(&s), "cuptiProfilerHostGetConfigImageSize");
    m_image.resize(s.configImageSize);
    auto g = cupti_params(CUpti_Profiler_Host_GetConfigImage_Params);
    g.pHostObject = m_host;
    g.configImageSize = m_image.size();
    g.pConfigImage = m_image.data();
    check_cupti(cuptiProfilerHostGetConfigImage(&g), "cuptiProfilerHostGetConfigImage");
    return m_image;
}

std::int64_t HostConfig::passes() {
    auto& image = const_cast<std::vector<std::uint8_t>&>(config_image());
    auto p = cupti_params(CUpti_Profiler_Host_GetNumOfPasses_Params);
    p.configImageSize = image.size();
    p.pConfigImage = image.data();
    check_cupti(cuptiProfilerHostGetNumOfPasses(&p), "cuptiProfilerHostGetNumOfPasses");
    return static_cast<std::int64_t>(p.numOfPasses);
}

std::vector<double> HostConfig::evaluate(const std::vector<std::uint8_t>& counter_data,
                                         std::size_t range,
                                         const std::vector<std::string>& counters) {
    auto names = c_names(counters);
    std::vector<double> values(counters.size(), 0.0);
    auto p = cupti_params(CUpti_Profiler_Host_EvaluateToGpuValues_Params);
    p.pHostObject = m_host;
    p.pCounterDataImage = counter_data.data();
    p.counterDataImageSize = counter_data.size();
    p.rangeIndex = range;
    p.ppMetricNames = names.data();
    p.numMetrics = names.size();
    p.pMetricValues = values.data();
    check_cupti(cuptiProfilerHostEvaluateToGpuValues(&p), "cuptiProfilerHostEvaluateToGpuValues");
    return values;
}

}  // namespace flashscope::profiler::detail
