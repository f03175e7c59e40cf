#include "flashscope/sim/result_io.hpp"

#include <boost/json.hpp>
#include <cmath>
#include <cstdio>
#include <sstream>

#include "flashscope/core/number_text.hpp"
#include "flashscope/sim/simulation_options.hpp"

namespace flashscope::sim {
namespace {

std::string number_text(double v) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "%.9g", v);
    return buf;
}

}  // namespace

boost::json::object gpu_to_json(const GpuSpec& g) {
    return {{"name", g.name},
            {"sm_count", g.sm_count},
            {"sm_clock_hz", g.sm_clock_hz},
            {"sram_per_sm_bytes", g.sram_per_sm_bytes},
            {"sram_per_block_bytes", g.sram_per_block_bytes},
            {"l2_size_bytes", g.l2_size_bytes},
            {"l2_resident_bytes", g.l2_resident_bytes},
            {"l2_resident_updated_bytes", g.l2_resident_updated_bytes},
            {"l2_bytes_per_s", g.l2_bytes_per_s()},
            {"hbm_size_bytes", g.hbm_size_bytes},
            {"hbm_bytes_per_s", g.hbm_bytes_per_s}};
}

boost::json::object problem_to_json(const AttentionProblem& p) {
    return {{"batch", p.batch},
            {"heads", p.heads},
            {"kv_heads", p.kv_heads},
            {"seq_q", p.seq_q},
            {"seq_k", p.seq_k},
            {"head_dim", p.head_dim},
            {"dtype", std::string(to_string(p.dtype))},
            {"causal", p.causal},
            {"pass", std::string(to_string(p.pass))},
            {"softmax_scale", p.effective_scale()},
            {"dropout", p.dropout}};
}

boost::json::object metrics_to_json(const Metrics& m) {
    boost::json::object o;
    for (const MetricInfo& info : metric_table()) {
        const double v = info.get(m);
        if (info.optional && std::isnan(v)) continue;  // the model has no value for it
        if (info.unit == MetricUnit::bytes)
            o[info.name] = static_cast<std::int64_t>(v);
        else
            o[info.name] = v;
    }
    return o;
}

boost::json::object result_to_json(const Result& r, const GpuSpec& gpu) {
    boost::json::array kernels;
    for (const KernelResult& k : r.kernels) {
        boost::json::object o{{"name", k.name}};
        for (auto& [key, value] : metrics_to_json(k.metrics)) o[key] = value;
        o.erase("hbm_footprint_bytes");
        o["ctas"] = k.ctas;
        o["ctas_per_sm"] = k.ctas_per_sm;
        o["occupancy_limit"] = k.occupancy_limit;
        o["occupancy"] = k.occupancy;
        o["waves"] = k.waves;
        o["sram_per_cta_bytes"] = k.sram_per_cta_bytes;
        o["registers_per_thread"] = k.registers_per_thread;
        o["spill_bytes_per_thread"] = k.spill_bytes_per_thread;
        o["bottleneck"] = std::string(to_string(k.bottleneck));
        // The issue model's stall reasons (Nsight Compute's names), for kernels it timed.
        if (k.issue_stalls[static_cast<std::size_t>(Stall::selected)] > 0) {
            boost::json::object stalls;
            for (int i = 0; i < k_stall_count; ++i)
                stalls[to_string(Stall(i))] = k.issue_stalls[static_cast<std::size_t>(i)];
            o["issue_stalls"] = std::move(stalls);
        }
        kernels.push_back(std::move(o));
    }
    boost::json::object totals = metrics_to_json(r.totals);
    totals["l2_dirty_at_end_bytes"] = r.l2_dirty_at_end_bytes;
    totals["bottleneck"] = std::string(to_string(r.bottleneck));
    totals["fits_hbm"] = r.fits_hbm;
    return {{"schema", k_result_schema},
            {"gpu", gpu_to_json(gpu)},
            {"problem", problem_to_json(r.problem)},
            {"algorithm",
             {{"name", std::string(to_string(r.algorithm))},
              {"block_m", r.tile.block_m},
              {"block_n", r.tile.block_n},
              {"warps", r.tile.warps},
              {"stages", r.tile.stages},
              {"naive_eager", r.naive_eager}}},
            {"model", std::string(to_string(r.model))},
            {"totals", std::move(totals)},
            {"kernels", std::move(kernels)}};
}

boost::json::object config_to_json(const SimulationConfig& config) {
    boost::json::object o;
    for (const SimulationOption& option : simulation_options()) {
        if (option.is_shorthand()) continue;
        const std::string text = option.text(config);
        switch (option.kind) {
            case OptionKind::whole:
                o[option.key] = std::stoll(text);
                break;
            case OptionKind::real:
                o[option.key] = std::stod(text);
                break;
            case OptionKind::boolean:
                o[option.key] = text == "true";
                break;
            case OptionKind::text:
                o[option.key] = text;
                break;
        }
    }
    return o;
}

std::vector<std::string> csv_columns() {
    std::vector<std::string> cols = {"gpu",    "algo",          "model",   "pass",       "batch",
                                     "heads",  "kv_heads",      "seq_q",   "seq_k",      "head_dim",
                                     "dtype",  "causal",        "block_m", "block_n",    "warps",
                                     "stages", "softmax_scale", "dropout", "naive_eager"};
    // Fixed columns: the optional instruction fields, empty until the model predicts them, are
    // in the JSON output only.
    for (const MetricInfo& info : metric_table())
        if (!info.optional) cols.emplace_back(info.name);
    for (const char* extra : {"l2_dirty_at_end_bytes", "bottleneck", "fits_hbm", "kernels"})
        cols.emplace_back(extra);
    return cols;
}

std::vector<std::string> csv_values(const Result& r) {
    const AttentionProblem& p = r.problem;
    std::vector<std::string> v = {r.gpu,
                                  std::string(to_string(r.algorithm)),
                                  std::string(to_string(r.model)),
                                  std::string(to_string(p.pass)),
                                  std::to_string(p.batch),
                                  std::to_string(p.heads),
                                  std::to_string(p.kv_heads),
                                  std::to_string(p.seq_q),
                                  std::to_string(p.seq_k),
                                  std::to_string(p.head_dim),
                                  std::string(to_string(p.dtype)),
                                  p.causal ? "true" : "false",
                                  std::to_string(r.tile.block_m),
                                  std::to_string(r.tile.block_n),
                                  std::to_string(r.tile.warps),
                                  std::to_string(r.tile.stages),
                                  real_text(p.effective_scale()),
                                  real_text(p.dropout),
                                  r.naive_eager ? "true" : "false"};
    for (const MetricInfo& info : metric_table()) {
        if (info.optional) continue;  // see csv_columns
        const double x = info.get(r.totals);
        v.push_back(info.unit == MetricUnit::bytes ? std::to_string(static_cast<std::int64_t>(x))
                                                   : number_text(x));
    }
    v.push_back(std::to_string(r.l2_dirty_at_end_bytes));
    v.emplace_back(to_string(r.bottleneck));
    v.push_back(r.fits_hbm ? "true" : "false");
    v.push_back(std::to_string(r.kernels.size()));
    return v;
}

std::string csv_line(const std::vector<std::string>& cells) {
    std::string line;
    for (std::size_t i = 0; i < cells.size(); ++i) {
        if (i) line += ',';
        const std::string& c = cells[i];
        if (c.find_first_of(",\"\n") == std::string::npos) {
            line += c;
            continue;
        }
        line += '"';
        for (char ch : c) {
            if (ch == '"') line += '"';
            line += ch;
        }
        line += '"';
    }
    line += '\n';
    return line;
}

std::string timeline_csv(const std::vector<Result>& results) {
    std::string out = "algo,kernel,t_begin_s,t_end_s";
    for (int i = 0; i < k_resource_count - 1; ++i) {
        out += ',';
        out += to_string(Resource(i));
    }
    out += '\n';
    for (const Result& r : results) {
        for (const TimelineSample& s : r.timeline) {
            std::vector<std::string> cells = {std::string(to_string(r.algorithm)), s.kernel,
                                              number_text(s.t_begin_s), number_text(s.t_end_s)};
            for (double u : s.utilization) cells.push_back(number_text(u));
            out += csv_line(cells);
        }
    }
    return out;
}

}  // namespace flashscope::sim
