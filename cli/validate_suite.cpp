// flashscope validate (suite): run the suite's kernels under CUPTI, simulate the same
// configurations, write one record per kernel and print the error summary last.
#include <filesystem>
#include <iostream>

#include "flashscope/core/atomic_file.hpp"
#include "flashscope/core/error.hpp"
#include "flashscope/validate/runner.hpp"
#include "flashscope/validate/summary_text.hpp"
#include "flashscope/validate/validation_file.hpp"
#include "flashscope/validate/validation_trace.hpp"
#include "validate_modes.hpp"

namespace flashscope::cli {

void run_validate_suite(const ValidateOptions& o) {
    const std::string suite_path = o.quick ? "configs/validation/quick.yaml" : o.suite;
    if (!std::filesystem::exists(suite_path))
        throw ConfigError("suite", suite_path,
                          "file not found (run from the repository root or pass --suite)");
    const auto format = validate::parse_file_format(
        !o.format.empty() ? o.format
                          : (std::filesystem::path(o.out).extension() == ".csv" ? "csv" : "json"));
    check_output_path("out", o.out);  // before minutes of profiling, not after
    if (!o.trace.empty()) check_output_path("trace", o.trace);
    validate::RunOptions options;
    options.gpu_preset = o.gpu;
    options.model = sim::parse_model(o.model);
    options.l2 = profiler::parse_l2_protocol(o.l2);
    options.timing_runs = o.runs;
    options.max_cases = o.max_cases;
    options.instruction_counters = o.instructions;
    options.command = o.command;
    const auto suite = validate::load_suite(suite_path);
    options.suite_name = suite.name + " (" + suite_path + ")";
    const auto run = validate::run_validation(suite, options, std::cerr);
    if (run.records.empty())
        throw std::runtime_error("no kernel could be validated (see the messages above)");
    validate::write_validation(o.out, run, format);
    std::cerr << "validate: wrote " << run.records.size() << " records to " << o.out << "\n";
    if (!o.trace.empty()) write_file_atomically(o.trace, validate::validation_chrome_trace(run));
    std::cout << validate::format_summary(run);
}

}  // namespace flashscope::cli
