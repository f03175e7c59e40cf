#pragma once
// Rows of a sweep's output, one line per point.
//   csv:   a header, then per point: id, index, points (the sweep's size), status (ok, infeasible or
//          error), reason (empty when ok), then exactly `flashscope simulate --format csv`'s columns.
//          Rows that did not simulate carry the requested configuration and empty results.
//   jsonl: per point one JSON object {"id", "index", "points", "status", "point": {the configuration},
//          and "result": `simulate --format json`'s object (schema flashscope.result/1) when ok, or
//          "reason" and "error": {"field", "value", "limit"} when not}.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "flashscope/core/error.hpp"
#include "flashscope/sim/gpu_spec.hpp"
#include "flashscope/sim/result.hpp"
#include "flashscope/sweep/sweep_point.hpp"

namespace flashscope::sweep {

enum class OutputFormat { csv, jsonl };

OutputFormat parse_output_format(const std::string& text);  // throws ConfigError naming "format"
OutputFormat format_for_path(const std::string& path);      // .jsonl/.json: jsonl, else csv

std::vector<std::string> sweep_csv_columns();
std::string file_header(OutputFormat format);  // the CSV header line, or "" for jsonl

std::string ok_row(const SweepPoint& point, std::int64_t points, const sim::Result& result,
                   const sim::GpuSpec& gpu, OutputFormat format);
// status "infeasible" (with the ConfigError) or "error" (error == nullptr).
std::string failed_row(const SweepPoint& point, std::int64_t points, const sim::GpuSpec& gpu,
                       const std::string& reason, const ConfigError* error, OutputFormat format);

// What identifies a row; throws std::runtime_error when the line is not a sweep row.
struct RowKey {
    std::string id;
    std::int64_t index = 0;
    std::int64_t points = 0;
};
RowKey parse_row_key(std::string_view line, OutputFormat format);

}  // namespace flashscope::sweep
