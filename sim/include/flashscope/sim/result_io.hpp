#pragma once
// Results as JSON (schema flashscope.result/1) and as CSV rows with the same field names.
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <vector>

#include "flashscope/sim/gpu_spec.hpp"
#include "flashscope/sim/result.hpp"
#include "flashscope/sim/simulation_config.hpp"

namespace flashscope::sim {

inline constexpr const char* k_result_schema = "flashscope.result/1";

boost::json::object gpu_to_json(const GpuSpec& gpu);
boost::json::object problem_to_json(const AttentionProblem& problem);
boost::json::object metrics_to_json(const Metrics& metrics);
boost::json::object result_to_json(const Result& result, const GpuSpec& gpu);
// Every option of the options table but the shorthands, by key, as numbers, booleans or text.
boost::json::object config_to_json(const SimulationConfig& config);

// Compact JSON whose numbers have no exponent (1830000000, 0.08838834764831843); null for NaN.
std::string json_text(const boost::json::value& value);

// One CSV row per result: the configuration, then the totals.
std::vector<std::string> csv_columns();
std::vector<std::string> csv_values(const Result& result);
std::string csv_line(const std::vector<std::string>& cells);  // quoted where needed, with '\n'

// The timeline as CSV: algorithm, kernel, interval and each resource's utilization.
std::string timeline_csv(const std::vector<Result>& results);

}  // namespace flashscope::sim
