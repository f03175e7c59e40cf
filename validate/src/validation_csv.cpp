// CSV form of a validation run: one row per record, the run's fields repeated, then for each
// metric predicted_, measured_ and rel_error_ columns (empty when not measured).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <stdexcept>
#include <type_traits>

#include "flashscope/core/dtype.hpp"
#include "flashscope/core/error.hpp"
#include "flashscope/validate/validation_file.hpp"
#include "metric_fields.hpp"

namespace flashscope::validate {

namespace {

const std::vector<std::string> k_fixed_columns = {
    "schema", "device", "chip",     "gpu_preset",  "model",         "l2_protocol",
    "batch",  "heads",  "kv_heads", "seq_q",       "seq_k",         "head_dim",
    "dtype",  "causal", "pass",     "algorithm",   "block_m",       "block_n",
    "warps",  "stages", "kernel",   "sm_clock_hz", "counter_time_s"};

std::string num(double v) {
    if (!std::isfinite(v)) return "";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.17g", v);
    return buf;
}

std::vector<std::string> split(const std::string& line) {
    std::vector<std::string> out;
    std::stringstream in(line);
    std::string cell;
    while (std::getline(in, cell, ',')) out.push_back(cell);
    if (!line.empty() && line.back() == ',') out.emplace_back();
    return out;
}

std::string csv_text(const std::string& s) {
    if (s.find_first_of(",\"\n") != std::string::npos)
        throw ConfigError("csv", s, "text fields must not contain commas, quotes or newlines");
    return s;
}

// The whole cell as a number; anything else is an error naming the column.
template <class T>
T parse_number(const std::string& column, const std::string& cell) {
    T value{};
    std::size_t used = 0;
    try {
        if constexpr (std::is_floating_point_v<T>)
            value = std::stod(cell, &used);
        else
            value = std::stoll(cell, &used);
    } catch (const std::logic_error&) {  // invalid_argument, out_of_range
        used = 0;
    }
    if (used == 0 || used != cell.size())
        throw ConfigError("csv column " + column, cell, "must be a number");
    return value;
}

}  // namespace

std::string to_csv(const ValidationRun& run) {
    std::ostringstream out;
    for (std::size_t i = 0; i < k_fixed_columns.size(); ++i)
        out << (i ? "," : "") << k_fixed_columns[i];
    for (const auto& info : metric_table())
        out << ",predicted_" << info.name << ",measured_" << info.name << ",rel_error_"
            << info.name;
    out << '\n';
    for (const auto& r : run.records) {
        const auto& p = r.key.problem;
        const auto& t = r.key.tile;
        out << k_validation_schema << ',' << csv_text(run.device) << ',' << csv_text(run.chip)
            << ',' << csv_text(run.gpu_preset) << ',' << csv_text(run.model) << ','
            << csv_text(run.l2_protocol) << ',' << p.batch << ',' << p.heads << ',' << p.kv_heads
            << ',' << p.seq_q << ',' << p.seq_k << ',' << p.head_dim << ',' << to_string(p.dtype)
            << ',' << (p.causal ? "true" : "false") << ',' << to_string(p.pass) << ','
            << to_string(r.key.algorithm) << ',' << t.block_m << ',' << t.block_n << ',' << t.warps
            << ',' << t.stages << ',' << csv_text(r.key.kernel) << ',' << num(r.sm_clock_hz) << ','
            << num(r.counter_time_s);
        for (const auto& info : metric_table()) {
            const std::string name(info.name);
            const bool measured = r.is_measured(name);
            out << ',' << num(info.get(r.predicted)) << ','
                << (measured ? num(info.get(r.measured)) : "") << ','
                << (measured ? num(r.relative_error(name)) : "");
        }
        out << '\n';
    }
    return out.str();
}

ValidationRun from_csv(const std::string& text) {
    std::stringstream in(text);
    std::string line;
    if (!std::getline(in, line)) throw ConfigError("csv", "(empty)", "needs a header line");
    const auto header = split(line);
    ValidationRun run;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        const auto cells = split(line);
        if (cells.size() != header.size())
            throw ConfigError("csv row", std::to_string(cells.size()) + " cells",
                              std::to_string(header.size()) + " columns in the header");
        auto get = [&](const std::string& column) -> const std::string& {
            for (std::size_t i = 0; i < header.size(); ++i)
                if (header[i] == column) return cells[i];
            throw ConfigError("csv column", column, "missing from the header");
        };
        auto integer = [&](const std::string& c) { return parse_number<long long>(c, get(c)); };
        auto real = [&](const std::string& c) {
            return get(c).empty() ? NAN : parse_number<double>(c, get(c));
        };
        if (get("schema") != k_validation_schema)
            throw ConfigError("schema", get("schema"),
                              std::string("expected ") + k_validation_schema);
        run.device = get("device");
        run.chip = get("chip");
        run.gpu_preset = get("gpu_preset");
        run.model = get("model");
        run.l2_protocol = get("l2_protocol");
        ValidationRecord r;
        auto& p = r.key.problem;
        p.batch = integer("batch");
        p.heads = integer("heads");
        p.kv_heads = integer("kv_heads");
        p.seq_q = integer("seq_q");
        p.seq_k = integer("seq_k");
        p.head_dim = integer("head_dim");
        p.dtype = parse_dtype(get("dtype"));
        p.causal = get("causal") == "true";
        p.pass = parse_pass(get("pass"));
        r.key.algorithm = parse_algorithm(get("algorithm"));
        r.key.tile = {integer("block_m"), integer("block_n"), integer("warps"), integer("stages")};
        r.key.kernel = get("kernel");
        r.sm_clock_hz = real("sm_clock_hz");
        r.counter_time_s = real("counter_time_s");
        auto has = [&](const std::string& column) {
            return std::find(header.begin(), header.end(), column) != header.end();
        };
        for (const auto& info : metric_table()) {
            const std::string name(info.name);
            // Files written before the optional instruction fields existed lack their columns.
            if (info.optional && !has("predicted_" + name)) continue;
            detail::set_metric(r.predicted, name, real("predicted_" + name));
            if (!get("measured_" + name).empty()) {
                detail::set_metric(r.measured, name, real("measured_" + name));
                r.measured_fields.insert(name);
            }
        }
        run.records.push_back(std::move(r));
    }
    run.errors = summarize_errors(run.records);
    run.ranks = rank_agreement(run.records);
    return run;
}

}  // namespace flashscope::validate
