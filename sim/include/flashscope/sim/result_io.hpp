#pragma once
// Results as JSON (schema flashscope.result/1) and as CSV rows with the same field names.
#include <string>
#include <vector>

#include <boost/json/object.hpp>

#include "flashscope/sim/gpu_spec.hpp"
#include "flashscope/sim/result.hpp"

namespace flashscope::sim {

inline constexpr const char* k_result_schema = "flashscope.result/1";

boost::json::object gpu_to_json(const GpuSpec& gpu);
boost::json::object problem_to_json(const AttentionProblem& problem);
boost::json::object metrics_to_json(const Metrics& metrics);
boost::json::object result_to_json(const Result& result, const GpuSpec& gpu);

// One CSV row per result: the configuration, then the totals.
std::vector<std::string> csv_columns();
std::vector<std::string> csv_values(const Result& result);
std::string csv_line(const std::vector<std::string>& cells);  // quoted where needed, with '\n'

// The timeline as CSV: algorithm, kernel, interval and each resource's utilization.
std::string timeline_csv(const std::vector<Result>& results);

}  // namespace flashscope::sim
