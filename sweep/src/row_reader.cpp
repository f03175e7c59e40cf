#include "flashscope/sweep/row_reader.hpp"

#include <boost/json.hpp>
#include <set>

#include "flashscope/sim/result_io.hpp"
#include "flashscope/sweep/digest.hpp"

namespace flashscope::sweep {
namespace {

[[noreturn]] void bad(const std::string& problem) {
    throw RowError(problem);
}

std::string quoted(std::string_view text) {
    constexpr std::size_t k_shown = 40;
    return "'" + std::string(text.substr(0, k_shown)) + (text.size() > k_shown ? "...'" : "'");
}

std::string checked_digest(std::string_view field, std::string_view text) {
    if (!is_digest_text(text))
        bad("field '" + std::string(field) + "' is " + quoted(text) + ", not 16 hex digits");
    return std::string(text);
}

std::int64_t checked_count(std::string_view field, std::string_view text) {
    if (text.empty() || text.size() > 18 ||
        text.find_first_not_of("0123456789") != std::string_view::npos)
        bad("field '" + std::string(field) + "' is " + quoted(text) + ", not a whole number");
    return std::stoll(std::string(text));
}

RowStatus checked_status(std::string_view text) {
    if (text == "ok") return RowStatus::ok;
    if (text == "infeasible") return RowStatus::infeasible;
    if (text == "error") return RowStatus::error;
    bad("field 'status' is " + quoted(text) + ", not ok, infeasible or error");
}

void check_index(const SweepRow& row) {
    if (row.index >= row.points)
        bad("index " + std::to_string(row.index) + " is not below points " +
            std::to_string(row.points));
}

void check_id(const SweepRow& row, const std::string& point_text) {
    if (digest_hex(point_text) != row.id)
        bad("the id " + row.id + " is not the digest of the row's point (" + point_text +
            "): the row was edited or damaged");
}

SweepRow read_csv_row(std::string_view line) {
    static const std::vector<std::string> columns = sweep_csv_columns();
    const std::vector<std::string> cells = split_csv_line(line);
    if (cells.size() != columns.size())
        bad("it has " + std::to_string(cells.size()) + " fields, the header " +
            std::to_string(columns.size()));
    SweepRow row;
    row.id = checked_digest("id", cells[0]);
    row.index = checked_count("index", cells[1]);
    row.points = checked_count("points", cells[2]);
    row.sweep_id = checked_digest("sweep_id", cells[3]);
    row.status = checked_status(cells[4]);
    check_index(row);
    const bool ok = row.status == RowStatus::ok;
    if (ok != cells[5].empty())
        bad(ok ? "status ok with a reason" : "status " + cells[4] + " without a reason");
    // Results: every cell of an ok row, none of a failed one.
    for (std::size_t j = k_csv_key_columns + first_result_column(); j + 1 < cells.size(); ++j)
        if (cells[j].empty() == ok)
            bad("status " + cells[4] + (ok ? " but no " : " but a value in ") + columns[j]);
    check_id(row, cells.back());
    return row;
}

const boost::json::value& field(const boost::json::object& o, std::string_view name) {
    const boost::json::value* v = o.if_contains(name);
    if (!v) bad("the field '" + std::string(name) + "' is missing");
    return *v;
}

std::string_view string_field(const boost::json::object& o, std::string_view name) {
    const boost::json::value& v = field(o, name);
    if (!v.is_string()) bad("field '" + std::string(name) + "' is not a string");
    return v.get_string();
}

std::int64_t count_field(const boost::json::object& o, std::string_view name) {
    const boost::json::value& v = field(o, name);
    if (!v.is_int64() || v.get_int64() < 0)
        bad("field '" + std::string(name) + "' is not a whole number");
    return v.get_int64();
}

SweepRow read_json_row(std::string_view line) {
    boost::system::error_code ec;
    const boost::json::value v = boost::json::parse(line, ec);
    if (ec || !v.is_object()) bad("it is not a JSON object");
    const boost::json::object& o = v.get_object();
    SweepRow row;
    row.id = checked_digest("id", string_field(o, "id"));
    row.index = count_field(o, "index");
    row.points = count_field(o, "points");
    row.sweep_id = checked_digest("sweep_id", string_field(o, "sweep_id"));
    row.status = checked_status(string_field(o, "status"));
    check_index(row);

    std::set<std::string_view> expected = {"id", "index", "points", "sweep_id", "status", "point"};
    if (row.status == RowStatus::ok) {
        expected.insert("result");
        const boost::json::value& result = field(o, "result");
        const boost::json::value* schema =
            result.is_object() ? result.get_object().if_contains("schema") : nullptr;
        if (!schema || !schema->is_string() || schema->get_string() != sim::k_result_schema)
            bad("field 'result' is not a " + std::string(sim::k_result_schema) + " object");
    } else {
        expected.insert("reason");
        if (string_field(o, "reason").empty())
            bad("status " + std::string(string_field(o, "status")) + " without a reason");
        if (row.status == RowStatus::infeasible) {
            expected.insert("error");
            if (!field(o, "error").is_object()) bad("field 'error' is not an object");
        }
    }
    for (const auto& [key, value] : o)
        if (!expected.count(key))
            bad("it has a field '" + std::string(key) + "' that rows of status " +
                std::string(string_field(o, "status")) + " do not have");

    const boost::json::value& point = field(o, "point");
    if (!point.is_object()) bad("field 'point' is not an object");
    std::string text;
    try {
        text = canonical_text(point.get_object());
    } catch (const std::invalid_argument& e) {
        bad(std::string("in 'point': ") + e.what());
    }
    check_id(row, text);
    return row;
}

}  // namespace

std::vector<std::string> split_csv_line(std::string_view line) {
    std::vector<std::string> cells(1);
    bool in_quotes = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        std::string& cell = cells.back();
        if (in_quotes) {
            if (c != '"') {
                cell += c;
            } else if (i + 1 < line.size() && line[i + 1] == '"') {
                cell += '"';
                ++i;
            } else {
                in_quotes = false;
                if (i + 1 < line.size() && line[i + 1] != ',')
                    bad("a quoted field is followed by text");
            }
        } else if (c == ',') {
            cells.emplace_back();
        } else if (c == '"' && cell.empty()) {
            in_quotes = true;
        } else {
            cell += c;
        }
    }
    if (in_quotes) bad("a quoted field is not closed");
    return cells;
}

SweepRow read_row(std::string_view line, OutputFormat format) {
    return format == OutputFormat::csv ? read_csv_row(line) : read_json_row(line);
}

}  // namespace flashscope::sweep
