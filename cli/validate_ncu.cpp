// flashscope validate --ncu: the kernels of an Nsight Compute report joined to the simulation of
// the same problem; the launch table, then the error summary. No GPU needed.
#include <filesystem>
#include <iostream>

#include "flashscope/core/atomic_file.hpp"
#include "flashscope/core/chrome_trace.hpp"
#include "flashscope/sim/timeline_trace.hpp"
#include "flashscope/validate/ncu_validation.hpp"
#include "flashscope/validate/summary_text.hpp"
#include "flashscope/validate/validation_trace.hpp"
#include "validate_modes.hpp"

namespace flashscope::cli {

void run_validate_ncu(const ValidateOptions& o) {
    const auto format = validate::parse_file_format(
        !o.format.empty() ? o.format
                          : (std::filesystem::path(o.out).extension() == ".csv" ? "csv" : "json"));
    validate::NcuValidationOptions options;
    options.gpu = o.gpu;
    options.problem = o.config.problem;
    options.algorithms = o.algos;
    options.tile = o.config.tile;
    options.model = sim::parse_model(o.model);
    options.naive_eager = o.config.naive_eager;
    options.timelines = !o.trace.empty();
    options.command = o.command;
    check_output_path("out", o.out);
    if (!o.trace.empty()) check_output_path("trace", o.trace);
    const validate::KernelRules rules = validate::kernel_rules(o.kernel_rules);
    const validate::NcuReport report = validate::read_ncu_report(o.ncu);

    const validate::NcuValidation v = validate::validate_ncu_report(report, rules, options);
    std::cout << validate::format_ncu_launches(v, report) << "\n";
    if (v.run.records.empty())
        throw std::runtime_error(
            "no launch of " + o.ncu +
            " was compared (see the table above: add --kernel-rules, or --naive-eager)");
    validate::write_validation(o.out, v.run, format);
    std::cerr << "validate: wrote " << v.run.records.size() << " records to " << o.out << "\n";
    if (!o.trace.empty()) {
        ChromeTrace trace;
        int pid = validate::add_validation_trace(trace, v.run, 1);
        for (const auto& r : v.simulations) sim::add_timeline_trace(trace, r, pid++, "simulated ");
        write_file_atomically(o.trace, trace.to_json());
    }
    std::cout << validate::format_summary(v.run);
}

}  // namespace flashscope::cli
