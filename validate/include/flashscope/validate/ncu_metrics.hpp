#pragma once
// The Nsight Compute metrics flashscope reads and how they become result fields: the counters and
// conversions of the CUPTI profiler (profiler/counter_conversion.hpp, docs/COUNTERS.md), except
// that time is ncu's gpu__time_duration (ncu times each kernel by itself) and cycles are that time
// times the SM clock.
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "flashscope/core/metrics.hpp"
#include "flashscope/validate/ncu_report.hpp"

namespace flashscope::validate {

// True for compute capability 9.0 and above ("9.0"), and when unknown (""): the GH100 counters of
// wgmma operands and TMA loads exist there.
bool has_hopper_counters(const std::string& compute_capability);

// The device's name: a text, not a number (NcuKernel::texts); requested with the metrics.
inline constexpr std::string_view ncu_device_name_metric = "device__attribute_display_name";

// Every metric to pass to `ncu --metrics`, for a GPU of that compute capability.
std::vector<std::string> ncu_metric_list(const std::string& compute_capability = "9.0");
std::string ncu_metrics_argument(const std::string& compute_capability = "9.0");  // comma-separated

// Metrics every compared kernel must carry (time and DRAM bytes): a report lacking one is refused.
const std::vector<std::string>& ncu_required_metrics();

// Per result field, the metrics it is computed from; a field is measured when all are present.
std::map<std::string, std::vector<std::string>> ncu_field_metrics(
    const std::string& compute_capability);

struct NcuMeasurement {
    Metrics metrics;
    std::set<std::string> fields;                             // metric_table() names measured
    std::map<std::string, std::vector<std::string>> missing;  // field -> metrics the kernel lacks
    std::map<std::string, double> counters;                   // every numeric metric, base units
    double sm_clock_hz = 0;                                   // 0 when not in the report
};

// Throws ConfigError naming the kernel and the metric when a required metric is missing or a
// metric's unit is not of its kind (bytes for dram__bytes_read.sum, a time for the duration, ...).
NcuMeasurement measure_ncu_kernel(const NcuKernel& kernel, const std::string& origin);

}  // namespace flashscope::validate
