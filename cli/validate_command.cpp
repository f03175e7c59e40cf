// flashscope validate: measured kernels beside the simulator's predictions, from the suite's
// kernels under CUPTI (CUDA builds) or from an Nsight Compute report (--ncu, every build).
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <sstream>
#include <stdexcept>

#include "commands.hpp"
#include "flashscope/validate/ncu_metrics.hpp"
#include "validate_modes.hpp"

namespace flashscope::cli {

#ifndef FLASHSCOPE_HAVE_VALIDATE_RUNNER
void run_validate_suite(const ValidateOptions&) {
    throw std::runtime_error(
        "this build has no CUDA: validate runs the suite's kernels only in CUDA builds "
        "(-DFLASHSCOPE_WITH_CUDA=ON); validate --ncu REPORT.csv reads an Nsight Compute report in "
        "any build");
}
#endif

namespace {

std::string command_line(const CLI::App& cmd) {
    std::ostringstream out;
    out << "flashscope validate";
    for (const auto* opt : cmd.get_options()) {
        if (opt->count() == 0 || opt->get_name() == "--help") continue;
        const bool takes_value = opt->get_expected_min() != 0;
        if (!takes_value) out << ' ' << opt->get_name();
        for (const auto& r : opt->results())
            if (takes_value) out << ' ' << opt->get_name() << ' ' << r;
    }
    return out.str();
}

}  // namespace

void add_validate_command(CLI::App& app) {
    auto o = std::make_shared<ValidateOptions>();
    auto* cmd = app.add_subcommand("validate",
                                   "compare measured kernels with the simulator: the suite's "
                                   "kernels under CUPTI (CUDA builds) or "
                                   "the kernels of an Nsight Compute report (--ncu)");
    cmd->add_option("--gpu", o->gpu,
                    "simulator GPU preset (default: matched from the device name)");
    cmd->add_option("--out", o->out, "output file")->capture_default_str();
    cmd->add_option("--format", o->format, "json or csv (default: from --out's extension)")
        ->check(CLI::IsMember({"json", "csv"}));
    cmd->add_option("--model", o->model, "simulator model: analytic or cycle")
        ->capture_default_str();
    cmd->add_option(
        "--trace", o->trace,
        "also write the measured and predicted kernel times as a Chrome trace (Perfetto)");

    auto* suite =
        cmd->add_option_group("suite", "run the suite's kernels under CUPTI (CUDA builds)");
    std::vector<CLI::Option*> suite_flags = {
        suite->add_option("--suite", o->suite, "validation suite (YAML)")->capture_default_str(),
        suite->add_flag("--quick", o->quick, "use configs/validation/quick.yaml (a few minutes)"),
        suite
            ->add_option(
                "--l2", o->l2,
                "L2 around the ranges: chained (cold at the start of a pass, like the simulator), "
                "isolated (every kernel cold) or none")
            ->capture_default_str(),
        suite->add_option("--runs", o->runs, "CUDA-event timing runs per kernel (median)")
            ->capture_default_str(),
        suite->add_option("--max-cases", o->max_cases,
                          "stop after this many configurations (0: all)")};

    auto* ncu =
        cmd->add_option_group("Nsight Compute", "read a report of ncu --csv (docs/COUNTERS.md)");
    CLI::Option* report =
        ncu->add_option("--ncu", o->ncu, "report written by ncu --csv (--page raw or details)");
    auto metrics_for = std::make_shared<std::string>();
    CLI::Option* list =
        ncu->add_option("--ncu-metrics", *metrics_for,
                        "print the metrics to collect (ncu --metrics) for a GPU of this "
                        "compute capability (default 9.0) and exit")
            ->expected(0, 1);
    std::vector<CLI::Option*> ncu_flags = add_problem_flags(*ncu, o->problem);
    ncu_flags.push_back(
        ncu->add_option("--kernel-rules", o->kernel_rules,
                        "YAML of kernel-name rules read before configs/ncu/kernels.yaml"));
    ncu_flags.push_back(
        ncu->add_option("--algo", o->algos,
                        "naive, flash1 or flash2; repeat for several (default: every algorithm "
                        "a rule matched)"));
    for (auto* flag : ncu_flags) flag->needs(report);
    for (auto* flag : suite_flags) flag->excludes(report);

    list->excludes(report);
    cmd->callback([o, cmd, list, metrics_for] {
        if (list->count() > 0) {
            std::cout << validate::ncu_metrics_argument(metrics_for->empty() ? "9.0" : *metrics_for)
                      << "\n";
            return;
        }
        o->command = command_line(*cmd);
        if (!o->ncu.empty())
            run_validate_ncu(*o);
        else
            run_validate_suite(*o);
    });
}

}  // namespace flashscope::cli
