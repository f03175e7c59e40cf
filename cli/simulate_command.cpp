// flashscope simulate: one configuration, one result per algorithm.
#include <unistd.h>

#include <boost/json.hpp>
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "flashscope/core/atomic_file.hpp"
#include "flashscope/core/error.hpp"
#include "flashscope/sim/result_io.hpp"
#include "flashscope/sim/simulation_options.hpp"
#include "flashscope/sim/timeline_trace.hpp"
#include "result_table.hpp"
#include "simulation_flags.hpp"
#include "simulation_progress.hpp"

namespace flashscope::cli {
namespace {

struct SimulateCli {
    std::unique_ptr<SimulationFlags> flags;
    std::string format;  // empty: from --out's extension, else table
    std::string out;     // empty: stdout
    std::string timeline;
    std::string timeline_format;  // csv or chrome; empty: chrome for a .json file, else csv
    CLI::Option* out_flag = nullptr;
    CLI::Option* timeline_flag = nullptr;
};

std::string chosen_format(const SimulateCli& o) {
    const auto ends = [&](std::string_view s) { return o.out.ends_with(s); };
    const std::string format = !o.format.empty() ? o.format
                               : ends(".json")   ? "json"
                               : ends(".csv")    ? "csv"
                                                 : "table";
    if (format != "table" && format != "json" && format != "csv")
        throw ConfigError("format", format, "must be table, json or csv");
    return format;
}

std::string formatted(const std::vector<sim::Result>& results, const sim::GpuSpec& gpu,
                      const std::string& format) {
    if (format == "table") return result_table(results, gpu);
    if (format == "json") {  // always an array, one flashscope.result/1 object per algorithm
        boost::json::array all;
        for (const auto& r : results) all.push_back(sim::result_to_json(r, gpu));
        return sim::json_text(all) + "\n";
    }
    std::string csv = sim::csv_line(sim::csv_columns());
    for (const auto& r : results) csv += sim::csv_line(sim::csv_values(r));
    return csv;
}

std::string chosen_timeline_format(const SimulateCli& o) {
    const std::string format = !o.timeline_format.empty()      ? o.timeline_format
                               : o.timeline.ends_with(".json") ? "chrome"
                                                               : "csv";
    if (format != "csv" && format != "chrome")
        throw ConfigError("timeline_format", format, "must be csv or chrome");
    return format;
}

void run_simulate(const SimulateCli& o) {
    const std::vector<sim::SimulationConfig> configs = sim::product_configs(o.flags->axes());
    const std::string format = chosen_format(o);
    const bool timeline = o.timeline_flag->count() > 0;
    const std::string timeline_format = chosen_timeline_format(o);
    if (!o.timeline_format.empty() && !timeline)
        throw ConfigError("timeline_format", o.timeline_format, "needs --timeline FILE");
    if (o.out_flag->count() > 0) check_output_path("out", o.out);
    if (timeline) {
        check_output_path("timeline", o.timeline);
        if (configs.front().model != sim::Model::cycle)
            throw ConfigError("timeline", o.timeline, "needs --model cycle");
    }
    const sim::GpuSpec gpu =
        sim::resolve_config_gpu(configs.front().gpu);  // one GPU: --gpu is given once

    std::vector<sim::Result> results;
    {
        SimulationProgress progress(std::cerr, isatty(STDERR_FILENO) != 0);
        for (const sim::SimulationConfig& config : configs) {
            sim::SimulationRequest request = sim::make_request(config, gpu);
            request.timeline = timeline;
            request.progress = progress.reporter(std::string(to_string(config.algorithm)));
            results.push_back(sim::simulate(request));
        }
    }
    const std::string text = formatted(results, gpu, format);
    if (o.out.empty())
        std::cout << text;
    else
        write_file_atomically(o.out, text);
    if (timeline)
        write_file_atomically(o.timeline, timeline_format == "chrome"
                                              ? sim::timeline_chrome_trace(results)
                                              : sim::timeline_csv(results));
}

}  // namespace

void add_simulate_command(CLI::App& app) {
    auto opts = std::make_shared<SimulateCli>();
    CLI::App* cmd = app.add_subcommand(
        "simulate",
        "Simulate attention on a GPU model; bare, it compares naive and flash2 (the main job)");
    opts->flags = std::make_unique<SimulationFlags>(*cmd);
    opts->out_flag = cmd->add_option(
        "-o,--out", opts->out, "write the output to this file (atomically) instead of stdout");
    cmd->add_option("--format", opts->format,
                    "table, json or csv (default: from --out's extension, else table)");
    opts->timeline_flag = cmd->add_option("--timeline", opts->timeline,
                                          "write each resource's utilization over time (CSV, "
                                          "or a Chrome trace for Perfetto)");
    cmd->add_option("--timeline-format", opts->timeline_format,
                    "csv or chrome (trace event JSON: kernels, CTA waves, resource busy-ness); "
                    "default: chrome for a .json file, else csv");
    cmd->callback([opts] { run_simulate(*opts); });
}

}  // namespace flashscope::cli
