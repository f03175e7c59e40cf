// flashscope validate: measured kernels beside the simulator's predictions, from the suite's
// kernels under CUPTI (CUDA builds) or from an Nsight Compute report (--ncu, every build).
#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>
#include <sstream>
#include <stdexcept>

#include "commands.hpp"
#include "error_report.hpp"
#include "flashscope/core/number_text.hpp"
#include "flashscope/sim/simulation_options.hpp"
#include "flashscope/validate/ncu_metrics.hpp"
#include "simulation_flags.hpp"
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

struct ValidateCli {
    ValidateOptions options;
    std::unique_ptr<SimulationFlags> problem;  // simulate's flags but --gpu and --model
    std::string runs = "5";
    std::string max_cases = "0";
    std::string metrics_for;  // --ncu-metrics' compute capability
    CLI::Option* report = nullptr;
    CLI::Option* repredict = nullptr;
    std::vector<CLI::Option*> repredict_flags;  // --repredict's alone
    CLI::Option* metrics = nullptr;
    std::vector<CLI::Option*> suite_flags;  // the suite's alone
    std::vector<CLI::Option*> ncu_flags;    // the report's alone
};

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

// The first of `flags` given, or nullptr.
const CLI::Option* first_given(const std::vector<CLI::Option*>& flags) {
    for (const CLI::Option* flag : flags)
        if (flag->count() > 0) return flag;
    return nullptr;
}

// The flags of one mode given in the other are usage errors (exit 2), named in one line.
void check_mode(const ValidateCli& v) {
    const bool ncu = v.report->count() > 0;
    if (v.repredict->count() > 0) {
        if (ncu || v.metrics->count() > 0)
            throw UsageError("--repredict: reads its measurements from FILE; not with --ncu");
        if (const CLI::Option* flag = first_given(v.suite_flags))
            throw UsageError(flag->get_name() +
                             ": belongs to the suite's run; not with --repredict");
        if (const CLI::Option* flag = first_given(v.ncu_flags))
            throw UsageError(flag->get_name() +
                             ": the configurations come from the file; not with --repredict");
        if (v.repredict_flags[1]->count() > 0 && v.repredict_flags[0]->count() == 0)
            throw UsageError("--ptxas-arch: says whose entries of --ptxas apply; give --ptxas");
        return;
    }
    if (const CLI::Option* flag = first_given(v.repredict_flags))
        throw UsageError(flag->get_name() + ": belongs to --repredict");
    if (v.metrics->count() > 0) {
        if (ncu)
            throw UsageError(
                "--ncu-metrics: prints the metrics to collect and exits; not with --ncu");
        return;
    }
    if (ncu) {
        if (const CLI::Option* flag = first_given(v.suite_flags))
            throw UsageError(flag->get_name() + ": belongs to the suite's run; not with --ncu");
    } else if (const CLI::Option* flag = first_given(v.ncu_flags)) {
        throw UsageError(flag->get_name() +
                         ": describes the problem of an Nsight Compute report; needs --ncu REPORT "
                         "(the suite's cases set their own)");
    }
}

// The report's problem from simulate's flags; --algo picks the algorithms compared.
void read_problem(ValidateCli& v) {
    std::vector<sim::OptionAxis> axes = v.problem->given_axes();
    v.options.algos.clear();
    std::vector<sim::OptionAxis> one_each;
    for (sim::OptionAxis& axis : axes) {
        if (axis.option->key != "algo") {
            one_each.push_back(std::move(axis));
            continue;
        }
        for (const sim::SimulationConfig& value : axis.values)
            v.options.algos.push_back(value.algorithm);
    }
    // Without --algo every algorithm may be compared: naive eager mode changes something then.
    std::vector<sim::OptionAxis> checked = one_each;
    sim::OptionAxis algos = sim::make_axis(*sim::find_simulation_option("algo"));
    if (v.options.algos.empty())
        for (const Algorithm a : all_algorithms()) sim::add_value(algos, to_string(a));
    else
        for (const Algorithm a : v.options.algos) sim::add_value(algos, to_string(a));
    checked.push_back(std::move(algos));
    sim::check_effective(checked, sim::option_flag);
    v.options.config = sim::compose(one_each, std::vector<std::size_t>(one_each.size(), 0));
}

void run(ValidateCli& v, const CLI::App& cmd) {
    check_mode(v);
    if (v.metrics->count() > 0) {
        std::cout << validate::ncu_metrics_argument(v.metrics_for.empty() ? "9.0" : v.metrics_for)
                  << "\n";
        return;
    }
    v.options.command = command_line(cmd);
    if (v.repredict->count() > 0) {
        run_validate_repredict(v.options);
        return;
    }
    if (v.report->count() > 0) {
        read_problem(v);
        run_validate_ncu(v.options);
        return;
    }
    v.options.runs = static_cast<int>(parse_whole("runs", v.runs, 1, 1000));
    v.options.max_cases = parse_whole("max_cases", v.max_cases, 0, std::int64_t{1} << 30);
    run_validate_suite(v.options);
}

}  // namespace

void add_validate_command(CLI::App& app) {
    auto v = std::make_shared<ValidateCli>();
    ValidateOptions& o = v->options;
    auto* cmd = app.add_subcommand("validate",
                                   "compare measured kernels with the simulator: the suite's "
                                   "kernels under CUPTI (CUDA builds) or "
                                   "the kernels of an Nsight Compute report (--ncu)");
    cmd->add_option("--gpu", o.gpu, "simulator GPU preset (default: matched from the device name)");
    cmd->add_option("-o,--out", o.out, "output file, written atomically")->capture_default_str();
    cmd->add_option("--format", o.format, "json or csv (default: from --out's extension)")
        ->check(CLI::IsMember({"json", "csv"}));
    cmd->add_option("--model", o.model, "simulator model: analytic or cycle")
        ->capture_default_str();
    cmd->add_option(
        "--trace", o.trace,
        "also write the measured and predicted kernel times as a Chrome trace (Perfetto)");

    v->repredict = cmd->add_option(
        "--repredict", o.repredict,
        "take the measurements of this validation file and predict them again with the current "
        "simulator (no GPU; --gpu defaults to the file's preset)");
    v->repredict_flags = {
        cmd->add_option("--ptxas", o.ptxas,
                        "with --repredict: the kernels/resource_usage.json of the build that ran; "
                        "its tiled kernels are predicted with the registers ptxas gave them "
                        "(occupancy, spills) instead of the estimate"),
        cmd->add_option("--ptxas-arch", o.ptxas_arch, "with --ptxas: whose entries apply")
            ->capture_default_str()};

    auto* suite =
        cmd->add_option_group("suite", "run the suite's kernels under CUPTI (CUDA builds)");
    v->suite_flags = {
        suite->add_option("--suite", o.suite, "validation suite (YAML)")->capture_default_str(),
        suite->add_flag("--quick", o.quick, "use configs/validation/quick.yaml (a few minutes)"),
        suite
            ->add_option(
                "--l2", o.l2,
                "L2 around the ranges: chained (cold at the start of a pass, like the simulator), "
                "isolated (every kernel cold) or none")
            ->capture_default_str(),
        suite->add_option("--runs", v->runs, "CUDA-event timing runs per kernel (median)")
            ->type_name("N")
            ->capture_default_str(),
        suite
            ->add_option("--max-cases", v->max_cases,
                         "stop after this many configurations (0: all)")
            ->type_name("N"),
        suite->add_flag("--instructions", o.instructions,
                        "also count executed instructions per pipe and spill traffic (inst_* and "
                        "local_*_bytes fields; may add profiling passes)")};

    auto* ncu =
        cmd->add_option_group("Nsight Compute", "read a report of ncu --csv (docs/COUNTERS.md)");
    v->report =
        ncu->add_option("--ncu", o.ncu, "report written by ncu --csv (--page raw or details)");
    v->metrics = ncu->add_option("--ncu-metrics", v->metrics_for,
                                 "print the metrics to collect (ncu --metrics) for a GPU of this "
                                 "compute capability (default 9.0) and exit")
                     ->expected(0, 1);
    // The problem as the profiled program ran it: simulate's flags, from the options table.
    v->problem =
        std::make_unique<SimulationFlags>(*ncu, std::vector<std::string_view>{"gpu", "model"});
    v->ncu_flags = v->problem->options();
    ncu->get_option("--algo")->description(
        "naive, flash1 or flash2; repeat for several (default: every algorithm a rule matched)");
    v->ncu_flags.push_back(
        ncu->add_option("--kernel-rules", o.kernel_rules,
                        "YAML of kernel-name rules read before configs/ncu/kernels.yaml"));
    cmd->callback([v, cmd] { run(*v, *cmd); });
}

}  // namespace flashscope::cli
