// flashscope calibrate: measures the GPU at hand with the microbenchmarks of bench/ceilings and
// writes a GPU preset YAML (the keys and order of configs/gpus/*.yaml) in which every value names
// its source: measured on this card, a device attribute, or the datasheet. CUDA builds only.
#include <CLI/CLI.hpp>
#include <cmath>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>

#include "commands.hpp"
#include "error_report.hpp"
#include "flashscope/core/atomic_file.hpp"
#include "flashscope/core/number_text.hpp"
#include "flashscope/sim/gpu_spec.hpp"

#ifdef FLASHSCOPE_HAVE_CALIBRATE
#include "flashscope/ceilings/calibration.hpp"
#include "flashscope/ceilings/microbenchmarks.hpp"
#endif

namespace flashscope::cli {

namespace {

struct CalibrateOptions {
    std::string out;
    std::string name;
    std::string runs = "5";
    std::string dirty_limit_from = "h200-sxm";
    CLI::Option* out_flag = nullptr;
};

#ifdef FLASHSCOPE_HAVE_CALIBRATE
std::string command_line(const CLI::App& cmd) {
    std::ostringstream text;
    text << "flashscope calibrate";
    for (const auto* opt : cmd.get_options()) {
        if (opt->count() == 0 || opt->get_name() == "--help") continue;
        for (const auto& r : opt->results()) text << ' ' << opt->get_name() << ' ' << r;
    }
    return text.str();
}

void run(const CalibrateOptions& o, const CLI::App& cmd) {
    ceilings::CalibrationOptions options;
    options.runs = static_cast<int>(parse_whole("runs", o.runs, 1, 101));
    if (!o.name.empty()) {
        // The writer checks the name too, but only after the benchmarks have run.
        ceilings::PresetText probe;
        probe.name = o.name;
        for (const auto& key : ceilings::preset_keys()) probe.values[key] = {1, ""};
        (void)ceilings::preset_yaml(probe);
    }
    options.name = o.name;
    if (o.out_flag->count() > 0) check_output_path("out", o.out);
    sim::GpuSpec base;
    try {
        base = sim::resolve_gpu(o.dirty_limit_from);
    } catch (const ConfigError& e) {
        throw UsageError("--dirty-limit-from " + o.dirty_limit_from + ": " + e.limit());
    }
    options.l2_dirty_limit_mib = {
        std::round(double(base.l2_dirty_limit_bytes) / (1024.0 * 1024.0) * 1000) / 1000,
        "[B] " + base.name +
            "'s value: calibrate does not measure it (the CUPTI counters of docs/COUNTERS.md do)"};
    options.command = command_line(cmd);
    if (!ceilings::device_present()) throw std::runtime_error("calibrate: no CUDA device found");
    const ceilings::PresetText preset = ceilings::run_calibration(
        options, [](const std::string& line) { std::cerr << "calibrate: " << line << "\n"; });
    const std::string text = ceilings::preset_yaml(preset);
    // The preset must load as written; a simulator that lacks a key says so here, not later.
    try {
        (void)sim::parse_gpu_yaml(text, o.out.empty() ? "calibrate" : o.out);
    } catch (const std::exception& e) {
        std::cerr << "calibrate: warning: this build's simulator does not load the preset: "
                  << e.what() << "\n";
    }
    if (o.out_flag->count() > 0) {
        write_file_atomically(o.out, text);
        std::cerr << "calibrate: wrote " << o.out << "\n";
    } else {
        std::cout << text;
    }
}
#else
void run(const CalibrateOptions&, const CLI::App&) {
    throw UsageError(
        "calibrate: this build has no CUDA: the microbenchmarks run only in CUDA builds "
        "(-DFLASHSCOPE_WITH_CUDA=ON)");
}
#endif

}  // namespace

void add_calibrate_command(CLI::App& app) {
    auto options = std::make_shared<CalibrateOptions>();
    CLI::App* cmd = app.add_subcommand(
        "calibrate",
        "measure this GPU with microbenchmarks and write a GPU preset YAML for --gpu FILE (CUDA "
        "builds)");
    options->out_flag = cmd->add_option("-o,--out", options->out,
                                        "write the preset to this file (atomically) instead of "
                                        "stdout");
    cmd->add_option("--name", options->name,
                    "the preset's name (default: from the device's name, e.g. nvidia-h200)");
    cmd->add_option("--runs", options->runs, "runs per measurement; each value is their median")
        ->capture_default_str();
    cmd->add_option("--dirty-limit-from", options->dirty_limit_from,
                    "preset or file whose l2_dirty_limit_mib is copied (not measured here)")
        ->capture_default_str();
    cmd->callback([options, cmd] { run(*options, *cmd); });
}

}  // namespace flashscope::cli
