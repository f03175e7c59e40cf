#include "flashscope/sweep/row_format.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "flashscope/sim/result_io.hpp"

namespace flashscope::sweep {
namespace {

std::vector<std::string> key_cells(const SweepPoint& p, const RowContext& c, const char* status,
                                   const std::string& reason) {
    return {p.id, std::to_string(p.index), std::to_string(c.points), c.sweep_id, status, reason};
}

boost::json::object json_head(const SweepPoint& p, const RowContext& c, const char* status) {
    return {{"id", p.id},
            {"index", p.index},
            {"points", c.points},
            {"sweep_id", c.sweep_id},
            {"status", status}};
}

// simulate's CSV cells for a point that has no result: the configuration, then empty fields.
std::vector<std::string> request_cells(const SweepPoint& p, const sim::GpuSpec& gpu) {
    sim::Result r;
    r.gpu = gpu.name;
    r.problem = p.config.problem;
    r.algorithm = p.config.algorithm;
    r.tile = p.config.tile;
    r.model = p.config.model;
    r.naive_eager = p.config.naive_eager;
    std::vector<std::string> cells = sim::csv_values(r);
    for (std::size_t j = first_result_column(); j < cells.size(); ++j) cells[j].clear();
    return cells;
}

}  // namespace

OutputFormat parse_output_format(const std::string& text) {
    if (text == "csv") return OutputFormat::csv;
    if (text == "jsonl") return OutputFormat::jsonl;
    throw ConfigError("format", text, "must be csv or jsonl");
}

OutputFormat format_for_path(const std::string& path) {
    const auto ends = [&](std::string_view s) {
        return path.size() >= s.size() && path.ends_with(s);
    };
    return ends(".jsonl") || ends(".json") ? OutputFormat::jsonl : OutputFormat::csv;
}

std::vector<std::string> sweep_csv_columns() {
    std::vector<std::string> cols = {"id", "index", "points", "sweep_id", "status", "reason"};
    for (std::string& c : sim::csv_columns()) cols.push_back(std::move(c));
    cols.emplace_back("point");
    return cols;
}

std::size_t first_result_column() {
    // Found once, not per row.
    static const std::size_t first = [] {
        const std::vector<std::string> columns = sim::csv_columns();
        return static_cast<std::size_t>(
            std::find(columns.begin(), columns.end(), metric_table().front().name) -
            columns.begin());
    }();
    return first;
}

std::string file_header(OutputFormat format) {
    return format == OutputFormat::csv ? sim::csv_line(sweep_csv_columns()) : std::string();
}

std::string ok_row(const SweepPoint& p, const RowContext& c, const sim::Result& result,
                   const sim::GpuSpec& gpu) {
    if (c.format == OutputFormat::jsonl) {
        boost::json::object o = json_head(p, c, "ok");
        o["point"] = point_json(p);
        o["result"] = sim::result_to_json(result, gpu);
        return sim::json_text(o) + "\n";
    }
    std::vector<std::string> cells = key_cells(p, c, "ok", "");
    for (std::string& cell : sim::csv_values(result)) cells.push_back(std::move(cell));
    cells.push_back(canonical_config(p));
    return sim::csv_line(cells);
}

std::string failed_row(const SweepPoint& p, const RowContext& c, const sim::GpuSpec& gpu,
                       const std::string& message, const ConfigError* error) {
    const char* status = error ? "infeasible" : "error";
    // A row is one line, and a failed row always says why.
    std::string reason = message.empty() ? "(no message)" : message;
    std::replace(reason.begin(), reason.end(), '\n', ' ');
    if (c.format == OutputFormat::jsonl) {
        boost::json::object o = json_head(p, c, status);
        o["reason"] = reason;
        if (error)
            o["error"] = {
                {"field", error->field()}, {"value", error->value()}, {"limit", error->limit()}};
        o["point"] = point_json(p);
        return sim::json_text(o) + "\n";
    }
    std::vector<std::string> cells = key_cells(p, c, status, reason);
    for (std::string& cell : request_cells(p, gpu)) cells.push_back(std::move(cell));
    cells.push_back(canonical_config(p));
    return sim::csv_line(cells);
}

}  // namespace flashscope::sweep
