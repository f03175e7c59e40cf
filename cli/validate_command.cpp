// flashscope validate: run the suite's kernels under CUPTI, simulate the same configurations,
// write one record per kernel and print the error summary last.
#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>
#include <sstream>

#include "commands.hpp"
#include "flashscope/core/atomic_file.hpp"
#include "flashscope/core/error.hpp"
#include "flashscope/core/number_text.hpp"
#include "flashscope/validate/runner.hpp"
#include "flashscope/validate/summary_text.hpp"
#include "flashscope/validate/validation_file.hpp"

namespace flashscope::cli {

namespace {

struct ValidateOptions {
    std::string suite = "configs/validation/default.yaml";
    bool quick = false;
    std::string gpu;
    std::string out = "flashscope-validation.json";
    std::string format;  // from --out's extension when empty
    std::string model = "cycle";
    std::string l2 = "chained";
    std::string runs = "5";
    std::string max_cases = "0";
};

std::string command_line(const std::vector<std::string>& args) {
    std::ostringstream out;
    out << "flashscope validate";
    for (const auto& a : args) out << ' ' << a;
    return out.str();
}

void run_validate(const ValidateOptions& o, const std::vector<std::string>& raw_args) {
    const std::string suite_path = o.quick ? "configs/validation/quick.yaml" : o.suite;
    if (!std::filesystem::exists(suite_path))
        throw ConfigError("suite", suite_path, "file not found (run from the repository root or pass --suite)");
    const auto format = validate::parse_file_format(
        !o.format.empty() ? o.format : (std::filesystem::path(o.out).extension() == ".csv" ? "csv" : "json"));
    check_output_path("out", o.out);  // before minutes of profiling, not after
    validate::RunOptions options;
    options.gpu_preset = o.gpu;
    options.model = sim::parse_model(o.model);
    options.l2 = profiler::parse_l2_protocol(o.l2);
    options.timing_runs = static_cast<int>(parse_whole("runs", o.runs, 1, 1000));
    options.max_cases = parse_whole("max_cases", o.max_cases, 0, std::int64_t{1} << 30);
    options.command = command_line(raw_args);
    const auto suite = validate::load_suite(suite_path);
    options.suite_name = suite.name + " (" + suite_path + ")";
    const auto run = validate::run_validation(suite, options, std::cerr);
    if (run.records.empty()) throw std::runtime_error("no kernel could be validated (see the messages above)");
    validate::write_validation(o.out, run, format);
    std::cerr << "validate: wrote " << run.records.size() << " records to " << o.out << "\n";
    std::cout << validate::format_summary(run);
}

}  // namespace

void add_validate_command(CLI::App& app) {
    auto options = std::make_shared<ValidateOptions>();
    auto* cmd = app.add_subcommand("validate",
                                   "run the kernels under CUPTI and compare their counters with the simulator");
    cmd->add_option("--suite", options->suite, "validation suite (YAML)")->capture_default_str();
    cmd->add_flag("--quick", options->quick, "use configs/validation/quick.yaml (a few minutes)");
    cmd->add_option("--gpu", options->gpu, "simulator GPU preset (default: matched from the device name)");
    cmd->add_option("-o,--out", options->out, "output file, written atomically")
        ->capture_default_str();
    cmd->add_option("--format", options->format, "json or csv (default: from --out's extension)")
        ->check(CLI::IsMember({"json", "csv"}));
    cmd->add_option("--model", options->model, "simulator model: analytic or cycle")->capture_default_str();
    cmd->add_option("--l2", options->l2,
                    "L2 around the ranges: chained (cold at the start of a pass, like the simulator), "
                    "isolated (every kernel cold) or none")
        ->capture_default_str();
    cmd->add_option("--runs", options->runs, "CUDA-event timing runs per kernel (median)")
        ->type_name("N")
        ->capture_default_str();
    cmd->add_option("--max-cases", options->max_cases,
                    "stop after this many configurations (0: all)")
        ->type_name("N");
    cmd->callback([options, cmd] {
        std::vector<std::string> args;
        for (const auto* opt : cmd->get_options()) {
            if (opt->count() == 0 || opt->get_name() == "--help") continue;
            const auto& results = opt->results();
            std::string name = opt->get_name();
            if (results.empty() || opt->get_expected_min() == 0) args.push_back(name);
            for (const auto& r : results)
                if (opt->get_expected_min() != 0) args.push_back(name + " " + r);
        }
        run_validate(*options, args);
    });
}

}  // namespace flashscope::cli
