#include "flashscope/sweep/row_format.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <stdexcept>

#include "flashscope/sim/result_io.hpp"

namespace flashscope::sweep {
namespace {


std::vector<std::string> key_cells(const SweepPoint& p, std::int64_t points, const char* status,
                                   const std::string& reason) {
    return {p.id, std::to_string(p.index), std::to_string(points), status, reason};
}

boost::json::object point_json(const SweepPoint& p) {
    const AttentionProblem& q = p.problem;
    return {{"gpu", p.gpu},
            {"model", std::string(to_string(p.model))},
            {"algo", std::string(to_string(p.algorithm))},
            {"pass", std::string(to_string(q.pass))},
            {"dtype", std::string(to_string(q.dtype))},
            {"causal", q.causal},
            {"batch", q.batch},
            {"heads", q.heads},
            {"kv_heads", q.kv_heads},
            {"seq_q", q.seq_q},
            {"seq_k", q.seq_k},
            {"head_dim", q.head_dim},
            {"block_m", p.tile.block_m},
            {"block_n", p.tile.block_n},
            {"warps", p.tile.warps},
            {"stages", p.tile.stages}};
}

boost::json::object json_head(const SweepPoint& p, std::int64_t points, const char* status) {
    return {{"id", p.id}, {"index", p.index}, {"points", points}, {"status", status}};
}

// simulate's CSV cells for a point that has no result: the configuration, then empty fields.
std::vector<std::string> request_cells(const SweepPoint& p, const sim::GpuSpec& gpu) {
    sim::Result r;
    r.gpu = gpu.name;
    r.problem = p.problem;
    r.algorithm = p.algorithm;
    r.tile = p.tile;
    r.model = p.model;
    // The columns from the first metric on are results: empty here. Found once, not per row.
    static const std::size_t first_metric = [] {
        const std::vector<std::string> columns = sim::csv_columns();
        return static_cast<std::size_t>(
            std::find(columns.begin(), columns.end(), metric_table().front().name) - columns.begin());
    }();
    std::vector<std::string> cells = sim::csv_values(r);
    for (std::size_t j = first_metric; j < cells.size(); ++j) cells[j].clear();
    return cells;
}

}  // namespace

OutputFormat parse_output_format(const std::string& text) {
    if (text == "csv") return OutputFormat::csv;
    if (text == "jsonl") return OutputFormat::jsonl;
    throw ConfigError("format", text, "must be csv or jsonl");
}

OutputFormat format_for_path(const std::string& path) {
    const auto ends = [&](std::string_view s) { return path.size() >= s.size() && path.ends_with(s); };
    return ends(".jsonl") || ends(".json") ? OutputFormat::jsonl : OutputFormat::csv;
}

std::vector<std::string> sweep_csv_columns() {
    std::vector<std::string> cols = {"id", "index", "points", "status", "reason"};
    for (std::string& c : sim::csv_columns()) cols.push_back(std::move(c));
    return cols;
}

std::string file_header(OutputFormat format) {
    return format == OutputFormat::csv ? sim::csv_line(sweep_csv_columns()) : std::string();
}

std::string ok_row(const SweepPoint& p, std::int64_t points, const sim::Result& result,
                   const sim::GpuSpec& gpu, OutputFormat format) {
    if (format == OutputFormat::jsonl) {
        boost::json::object o = json_head(p, points, "ok");
        o["point"] = point_json(p);
        o["result"] = sim::result_to_json(result, gpu);
        return boost::json::serialize(o) + "\n";
    }
    std::vector<std::string> cells = key_cells(p, points, "ok", "");
    for (std::string& c : sim::csv_values(result)) cells.push_back(std::move(c));
    return sim::csv_line(cells);
}

std::string failed_row(const SweepPoint& p, std::int64_t points, const sim::GpuSpec& gpu,
                       const std::string& reason, const ConfigError* error, OutputFormat format) {
    const char* status = error ? "infeasible" : "error";
    if (format == OutputFormat::jsonl) {
        boost::json::object o = json_head(p, points, status);
        o["reason"] = reason;
        if (error) o["error"] = {{"field", error->field()}, {"value", error->value()}, {"limit", error->limit()}};
        o["point"] = point_json(p);
        return boost::json::serialize(o) + "\n";
    }
    std::vector<std::string> cells = key_cells(p, points, status, reason);
    for (std::string& c : request_cells(p, gpu)) cells.push_back(std::move(c));
    return sim::csv_line(cells);
}

RowKey parse_row_key(std::string_view line, OutputFormat format) {
    RowKey key;
    try {
        if (format == OutputFormat::jsonl) {
            boost::system::error_code ec;
            const boost::json::value v = boost::json::parse(line, ec);
            if (ec || !v.is_object()) throw std::invalid_argument("not a JSON object");
            const boost::json::object& o = v.as_object();
            key.id = std::string(o.at("id").as_string());
            key.index = o.at("index").as_int64();
            key.points = o.at("points").as_int64();
        } else {
            std::size_t begin = 0;
            std::vector<std::string> cells;
            for (std::size_t n = 0; n < 3; ++n) {
                const std::size_t comma = line.find(',', begin);
                if (comma == std::string_view::npos) throw std::invalid_argument("too few cells");
                cells.emplace_back(line.substr(begin, comma - begin));
                begin = comma + 1;
            }
            key.id = cells[0];
            key.index = std::stoll(cells[1]);
            key.points = std::stoll(cells[2]);
        }
    } catch (const std::exception& e) {
        throw std::runtime_error(std::string("not a sweep row (") + e.what() + ")");
    }
    if (key.id.size() != 16 || key.index < 0 || key.points <= key.index)
        throw std::runtime_error("not a sweep row (bad id, index or points)");
    return key;
}

}  // namespace flashscope::sweep
