// JSON form of a validation run (schema flashscope.validation/1); read back through yaml-cpp,
// since JSON is a subset of YAML 1.2.
#include <yaml-cpp/yaml.h>

#include <cmath>
#include <limits>

#include "flashscope/core/dtype.hpp"
#include "flashscope/core/error.hpp"
#include "flashscope/validate/validation_file.hpp"
#include "json_writer.hpp"
#include "metric_fields.hpp"

namespace flashscope::validate {

namespace {

using detail::JsonWriter;

void write_problem(JsonWriter& w, const AttentionProblem& p) {
    w.begin_object();
    w.key("batch").value((long long)p.batch).key("heads").value((long long)p.heads);
    w.key("kv_heads").value((long long)p.kv_heads).key("seq_q").value((long long)p.seq_q);
    w.key("seq_k").value((long long)p.seq_k).key("head_dim").value((long long)p.head_dim);
    w.key("dtype").value(to_string(p.dtype)).key("causal").value(p.causal);
    w.key("pass").value(to_string(p.pass));
    w.end_object();
}

void write_tile(JsonWriter& w, const TileConfig& t) {
    w.begin_object();
    w.key("block_m").value((long long)t.block_m).key("block_n").value((long long)t.block_n);
    w.key("warps").value((long long)t.warps).key("stages").value((long long)t.stages);
    w.end_object();
}

void write_record(JsonWriter& w, const ValidationRecord& r) {
    w.begin_object();
    w.key("problem");
    write_problem(w, r.key.problem);
    w.key("algorithm").value(to_string(r.key.algorithm));
    w.key("tile");
    write_tile(w, r.key.tile);
    w.key("kernel").value(r.key.kernel);
    w.key("sm_clock_hz").value(r.sm_clock_hz);
    w.key("counter_time_s").value(r.counter_time_s);
    w.key("predicted").begin_object();
    for (const auto& info : metric_table()) {
        const double value = info.get(r.predicted);
        if (info.optional && std::isnan(value)) continue;  // the model has none
        w.key(info.name).value(value);
    }
    w.end_object();
    w.key("measured").begin_object();
    for (const auto& info : metric_table())
        if (r.is_measured(std::string(info.name))) w.key(info.name).value(info.get(r.measured));
    w.end_object();
    w.key("relative_error").begin_object();
    for (const auto& info : metric_table())
        if (r.is_measured(std::string(info.name)))
            w.key(info.name).value(r.relative_error(std::string(info.name)));
    w.end_object();
    w.key("counters").begin_object();
    for (const auto& [name, value] : r.counters) w.key(name).value(value);
    w.end_object();
    w.end_object();
}

void write_summary(JsonWriter& w, const ValidationRun& run) {
    w.begin_object();
    w.key("errors").begin_array();
    for (const auto& e : run.errors) {
        w.begin_object().key("metric").value(e.metric).key("count").value((long long)e.count);
        w.key("median_abs_relative_error")
            .value(e.median_abs)
            .key("p90_abs_relative_error")
            .value(e.p90_abs);
        w.key("median_relative_error").value(e.median_signed).end_object();
    }
    w.end_array();
    w.key("rank_agreement").begin_array();
    for (const auto& r : run.ranks) {
        w.begin_object().key("metric").value(r.metric).key("groups").value((long long)r.groups);
        w.key("mean_spearman").value(r.mean_rho).key("min_spearman").value(r.min_rho).end_object();
    }
    w.end_array();
    w.end_object();
}

double number(const YAML::Node& node) {
    if (!node || node.IsNull()) return std::numeric_limits<double>::quiet_NaN();
    return node.as<double>();
}

std::string text(const YAML::Node& node) {
    return node ? node.as<std::string>() : std::string();
}

AttentionProblem read_problem(const YAML::Node& n) {
    AttentionProblem p;
    p.batch = n["batch"].as<std::int64_t>();
    p.heads = n["heads"].as<std::int64_t>();
    p.kv_heads = n["kv_heads"].as<std::int64_t>();
    p.seq_q = n["seq_q"].as<std::int64_t>();
    p.seq_k = n["seq_k"].as<std::int64_t>();
    p.head_dim = n["head_dim"].as<std::int64_t>();
    p.dtype = parse_dtype(n["dtype"].as<std::string>());
    p.causal = n["causal"].as<bool>();
    p.pass = parse_pass(n["pass"].as<std::string>());
    return p;
}

TileConfig read_tile(const YAML::Node& n) {
    return {n["block_m"].as<std::int64_t>(), n["block_n"].as<std::int64_t>(),
            n["warps"].as<std::int64_t>(), n["stages"].as<std::int64_t>()};
}

ValidationRecord read_record(const YAML::Node& n) {
    ValidationRecord r;
    r.key.problem = read_problem(n["problem"]);
    r.key.algorithm = parse_algorithm(n["algorithm"].as<std::string>());
    r.key.tile = read_tile(n["tile"]);
    r.key.kernel = n["kernel"].as<std::string>();
    r.sm_clock_hz = number(n["sm_clock_hz"]);
    r.counter_time_s = number(n["counter_time_s"]);
    for (const auto& kv : n["predicted"])
        detail::set_metric(r.predicted, kv.first.as<std::string>(), number(kv.second));
    for (const auto& kv : n["measured"]) {
        const auto name = kv.first.as<std::string>();
        if (detail::set_metric(r.measured, name, number(kv.second)) || find_metric(name))
            r.measured_fields.insert(name);
    }
    for (const auto& kv : n["counters"]) r.counters[kv.first.as<std::string>()] = number(kv.second);
    return r;
}

}  // namespace

std::string to_json(const ValidationRun& run) {
    JsonWriter w;
    w.begin_object();
    w.key("schema").value(k_validation_schema);
    w.key("device").value(run.device).key("chip").value(run.chip);
    w.key("gpu_preset").value(run.gpu_preset).key("model").value(run.model);
    w.key("l2_protocol").value(run.l2_protocol);
    w.key("suite").value(run.suite).key("date").value(run.date).key("command").value(run.command);
    w.key("sm_clock_hz").value(run.sm_clock_hz).key("passes").value((long long)run.passes);
    w.key("records").begin_array();
    for (const auto& r : run.records) write_record(w, r);
    w.end_array();
    w.key("summary");
    write_summary(w, run);
    w.end_object();
    return w.str() + "\n";
}

ValidationRun from_json(const std::string& json) {
    YAML::Node root;
    try {
        root = YAML::Load(json);
    } catch (const YAML::Exception& e) {
        throw ConfigError("validation file", "(JSON)", e.what());
    }
    if (!root.IsMap())
        throw ConfigError("validation file", "(JSON)", "must be an object with a schema");
    ValidationRun run;
    try {
        if (text(root["schema"]) != k_validation_schema)
            throw ConfigError("schema", text(root["schema"]),
                              std::string("expected ") + k_validation_schema);
        run.device = text(root["device"]);
        run.chip = text(root["chip"]);
        run.gpu_preset = text(root["gpu_preset"]);
        run.model = text(root["model"]);
        run.l2_protocol = text(root["l2_protocol"]);
        run.suite = text(root["suite"]);
        run.date = text(root["date"]);
        run.command = text(root["command"]);
        run.sm_clock_hz = number(root["sm_clock_hz"]);
        run.passes = root["passes"] ? root["passes"].as<std::int64_t>() : 0;
    } catch (const YAML::Exception& e) {
        throw ConfigError("validation file", "(run fields)", e.what());
    }
    std::size_t index = 0;
    for (const auto& n : root["records"]) {
        try {
            run.records.push_back(read_record(n));
        } catch (const YAML::Exception& e) {
            throw ConfigError("validation file", "record " + std::to_string(index), e.what());
        }
        ++index;
    }
    run.errors = summarize_errors(run.records);
    run.ranks = rank_agreement(run.records);
    return run;
}

}  // namespace flashscope::validate
