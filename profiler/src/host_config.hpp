#pragma once
// Internal: the CUPTI Profiler Host object for one set of counters on one chip — builds the
// configuration image, counts its passes and evaluates decoded counter data.
#include <cupti_profiler_host.h>

#include <cstdint>
#include <string>
#include <vector>

namespace flashscope::profiler::detail {

class HostConfig {
public:
    HostConfig(const std::string& chip, const std::vector<std::uint8_t>& availability);
    ~HostConfig();
    HostConfig(const HostConfig&) = delete;
    HostConfig& operator=(const HostConfig&) = delete;

    bool supports(const std::string& counter);  // the chip knows the metric
    void add(const std::vector<std::string>& counters);
    const std::vector<std::uint8_t>& config_image();  // built after the last add()
    std::int64_t passes();
    std::vector<double> evaluate(const std::vector<std::uint8_t>& counter_data, std::size_t range,
                                 const std::vector<std::string>& counters);

private:
    CUpti_Profiler_Host_Object* m_host = nullptr;
    std::vector<std::uint8_t> m_image;
};

std::vector<const char*> c_names(const std::vector<std::string>& names);

}  // namespace flashscope::profiler::detail
