#include "sweep_table.hpp"

#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <cmath>
#include <fstream>
#include <limits>
#include <optional>
#include <sstream>

#include "flashscope/core/error.hpp"

namespace flashscope::gui {
namespace {

std::optional<double> as_number(const std::string& text) {
    if (text.empty()) return std::nullopt;
    double v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return v;
}

[[noreturn]] void bad_line(const std::string& origin, std::int64_t line, const std::string& what) {
    throw ConfigError("sweep file", origin + ":" + std::to_string(line), what);
}

// Fields of one CSV line as written by sim::csv_line (quotes around cells with , " or newline).
std::vector<std::string> csv_cells(std::string_view line) {
    std::vector<std::string> cells(1);
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted) {
            if (c != '"')
                cells.back() += c;
            else if (i + 1 < line.size() && line[i + 1] == '"')
                cells.back() += '"', ++i;
            else
                quoted = false;
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            cells.emplace_back();
        } else if (c != '\r') {
            cells.back() += c;
        }
    }
    return cells;
}

std::string json_text(const boost::json::value& v) {
    if (v.is_string()) return std::string(v.as_string());
    if (v.is_bool()) return v.as_bool() ? "true" : "false";
    if (v.is_int64()) return std::to_string(v.as_int64());
    if (v.is_uint64()) return std::to_string(v.as_uint64());
    if (v.is_double()) {
        char buf[64];
        const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v.as_double());
        return ec == std::errc() ? std::string(buf, end) : std::string();
    }
    return {};
}

}  // namespace

const std::string& SweepRow::at(const std::string& column) const {
    const auto it = cells.find(column);
    if (it == cells.end())
        throw ConfigError("column", column,
                          "not in the sweep file (line " + std::to_string(line) + ")");
    return it->second;
}

double SweepRow::number(const std::string& column) const {
    const std::string& text = at(column);
    if (text.empty()) return std::numeric_limits<double>::quiet_NaN();
    const auto v = as_number(text);
    if (!v) throw ConfigError(column, text, "not a number (line " + std::to_string(line) + ")");
    return *v;
}

const std::vector<std::string>& configuration_columns() {
    static const std::vector<std::string> columns = {
        "gpu",      "model", "algo",  "pass",     "dtype",   "causal",  "batch", "heads",
        "kv_heads", "seq_q", "seq_k", "head_dim", "block_m", "block_n", "warps", "stages"};
    return columns;
}

SweepTable parse_sweep_csv(std::string_view text, const std::string& origin) {
    return parse_csv_rows(text, origin, {"status", "algo", "block_m", "time_s"},
                          "flashscope sweep");
}

SweepTable parse_csv_rows(std::string_view text, const std::string& origin,
                          const std::vector<std::string>& required, const std::string& writer) {
    SweepTable table{origin, {}};
    std::vector<std::string> header;
    std::int64_t line_number = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t end = std::min(text.find('\n', pos), text.size());
        const std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        ++line_number;
        if (line.empty()) continue;
        std::vector<std::string> cells = csv_cells(line);
        if (header.empty()) {
            header = std::move(cells);
            for (const std::string& need : required)
                if (std::find(header.begin(), header.end(), need) == header.end())
                    bad_line(origin, line_number,
                             "no '" + need + "' column: not the output of " + writer);
            continue;
        }
        if (cells.size() != header.size())
            bad_line(origin, line_number,
                     std::to_string(cells.size()) + " cells under a header of " +
                         std::to_string(header.size()));
        SweepRow row;
        row.line = line_number;
        for (std::size_t i = 0; i < header.size(); ++i) row.cells[header[i]] = std::move(cells[i]);
        table.rows.push_back(std::move(row));
    }
    if (header.empty()) throw ConfigError("sweep file", origin, "empty");
    return table;
}

SweepTable parse_sweep_jsonl(std::string_view text, const std::string& origin) {
    SweepTable table{origin, {}};
    std::int64_t line_number = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t end = std::min(text.find('\n', pos), text.size());
        const std::string_view line = text.substr(pos, end - pos);
        pos = end + 1;
        ++line_number;
        if (line.empty()) continue;
        boost::system::error_code ec;
        const boost::json::value v = boost::json::parse(line, ec);
        if (ec || !v.is_object() || !v.as_object().contains("status") ||
            !v.as_object().contains("point"))
            bad_line(origin, line_number, "not a row of flashscope sweep --format jsonl");
        const boost::json::object& o = v.as_object();
        SweepRow row;
        row.line = line_number;
        row.cells["status"] = json_text(o.at("status"));
        row.cells["reason"] = o.contains("reason") ? json_text(o.at("reason")) : "";
        for (const auto& [key, value] : o.at("point").as_object())
            row.cells[std::string(key)] = json_text(value);
        for (const auto& key : {"id", "index", "points"})
            if (o.contains(key)) row.cells[key] = json_text(o.at(key));
        if (o.contains("result")) {  // simulate --format json: the resolved tile and the totals
            const boost::json::object& r = o.at("result").as_object();
            row.cells["gpu"] = json_text(r.at("gpu").at("name"));
            for (const auto& key : {"block_m", "block_n", "warps", "stages"})
                row.cells[key] = json_text(r.at("algorithm").at(key));
            for (const auto& [key, value] : r.at("totals").as_object())
                row.cells[std::string(key)] = json_text(value);
            row.cells["kernels"] = std::to_string(r.at("kernels").as_array().size());
            for (const auto& k : r.at("kernels").as_array()) {
                std::map<std::string, std::string> fields;
                for (const auto& [key, value] : k.as_object())
                    fields[std::string(key)] = json_text(value);
                row.kernels.push_back(std::move(fields));
            }
        }
        table.rows.push_back(std::move(row));
    }
    return table;
}

SweepTable read_sweep_table(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ConfigError("input", path, "cannot open the file");
    std::ostringstream text;
    text << in.rdbuf();
    const std::string s = text.str();
    const auto first = s.find_first_not_of(" \t\r\n");
    return first != std::string::npos && s[first] == '{' ? parse_sweep_jsonl(s, path)
                                                         : parse_sweep_csv(s, path);
}

RowFilter parse_row_filter(const std::string& text) {
    const auto eq = text.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == text.size())
        throw ConfigError(
            "where", text,
            "must be COLUMN=VALUE[,VALUE...], e.g. head_dim=128 or algo=naive,flash2");
    RowFilter f{text.substr(0, eq), {}};
    std::size_t begin = eq + 1;
    while (begin <= text.size()) {
        const std::size_t comma = std::min(text.find(',', begin), text.size());
        f.values.push_back(text.substr(begin, comma - begin));
        begin = comma + 1;
    }
    return f;
}

bool RowFilter::matches(const std::string& cell) const {
    const auto a = as_number(cell);
    return std::any_of(values.begin(), values.end(), [&](const std::string& v) {
        const auto b = as_number(v);
        return a && b ? *a == *b : cell == v;
    });
}

std::vector<SweepRow> filter_rows(const SweepTable& table, const std::vector<RowFilter>& filters) {
    std::vector<SweepRow> rows;
    for (const SweepRow& row : table.rows) {
        bool keep = true;
        for (const RowFilter& f : filters) {
            const auto it = row.cells.find(f.column);
            if (it == row.cells.end())
                throw ConfigError("where", f.column, "no such column in " + table.origin);
            keep = keep && f.matches(it->second);
        }
        if (keep) rows.push_back(row);
    }
    if (rows.empty())
        throw ConfigError("where", "(given)", "no row of " + table.origin + " is left");
    return rows;
}

std::map<std::string, std::vector<std::string>> varying_columns(
    const std::vector<SweepRow>& rows, const std::vector<std::string>& allowed) {
    std::map<std::string, std::vector<std::string>> out;
    for (const std::string& column : configuration_columns()) {
        if (std::find(allowed.begin(), allowed.end(), column) != allowed.end()) continue;
        std::vector<std::string> values;
        for (const SweepRow& row : rows) {
            const auto it = row.cells.find(column);
            if (it == row.cells.end()) continue;
            if (std::find(values.begin(), values.end(), it->second) == values.end())
                values.push_back(it->second);
        }
        if (values.size() > 1) out[column] = values;
    }
    return out;
}

void require_single_valued(const std::vector<SweepRow>& rows,
                           const std::vector<std::string>& allowed, const std::string& plot) {
    const auto varying = varying_columns(rows, allowed);
    if (varying.empty()) return;
    std::string what, example;
    for (const auto& [column, values] : varying) {
        std::string list;
        for (std::size_t i = 0; i < values.size() && i < 6; ++i)
            list += (i ? ", " : "") + values[i];
        if (values.size() > 6) list += ", ...";
        what += (what.empty() ? "" : "; ") + column + " (" + list + ")";
        if (example.empty()) example = "--where " + column + "=" + values.front();
    }
    throw ConfigError(plot, what, "the rows differ there; keep one value with " + example);
}

}  // namespace flashscope::gui
