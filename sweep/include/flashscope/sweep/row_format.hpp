#pragma once
// Rows of a sweep's output, one line per point (row_reader.hpp reads them back).
//   csv:   a header, then per point: id, index, points (the sweep's size), sweep_id (the sweep's
//          identity), status (ok, infeasible or error), reason (empty when ok), then exactly
//          `flashscope simulate --format csv`'s columns, then point (the requested configuration as
//          canonical text; id is its digest). Rows that did not simulate carry the requested
//          configuration and empty results.
//   jsonl: per point one JSON object {"id", "index", "points", "sweep_id", "status", "point": {the
//          requested configuration}, and "result": `simulate --format json`'s object (schema
//          flashscope.result/1) when ok, or "reason" and "error": {"field", "value", "limit"} when
//          not}.
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

// What every row of one output shares.
struct RowContext {
    std::int64_t points = 0;  // the size of the whole sweep
    std::string sweep_id;     // sweep_identity.hpp
    OutputFormat format = OutputFormat::csv;
};

// The columns before simulate's and the one after them.
inline constexpr std::size_t k_csv_key_columns = 6;  // id, index, points, sweep_id, status, reason
std::vector<std::string> sweep_csv_columns();
// Index in sim::csv_columns() of the first result column (results are empty when a point failed).
std::size_t first_result_column();
std::string file_header(OutputFormat format);  // the CSV header line, or "" for jsonl

std::string ok_row(const SweepPoint& point, const RowContext& context, const sim::Result& result,
                   const sim::GpuSpec& gpu);
// status "infeasible" (with the ConfigError) or "error" (error == nullptr).
std::string failed_row(const SweepPoint& point, const RowContext& context, const sim::GpuSpec& gpu,
                       const std::string& reason, const ConfigError* error);

}  // namespace flashscope::sweep
