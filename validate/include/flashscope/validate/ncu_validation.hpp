#pragma once
// `flashscope validate --ncu`: the kernels of an Nsight Compute report joined to the simulation of
// the same problem, as a validation run (schema flashscope.validation/1, the GUI's overlay). Each
// launch is matched by the kernel rules; every launch ends up compared, ignored by a rule, left to
// another algorithm, without a simulated counterpart, or unmatched, and all are listed.
#include <map>
#include <string>
#include <vector>

#include "flashscope/sim/result.hpp"
#include "flashscope/validate/kernel_rules.hpp"
#include "flashscope/validate/ncu_report.hpp"
#include "flashscope/validate/validation_file.hpp"

namespace flashscope::validate {

struct NcuValidationOptions {
    std::string gpu;  // preset name or GPU file; empty: the preset of the report's device name
    AttentionProblem problem;  // as the profiled program ran it; pass fwdbwd simulates fwd and bwd
    std::vector<Algorithm> algorithms;  // empty: every algorithm a rule matched
    TileConfig tile;  // given fields override the tile a rule reads from a kernel's name
    sim::Model model = sim::Model::cycle;
    bool naive_eager = false;
    bool timelines = false;  // keep the simulations' timelines (cycle model), for a trace
    std::string command;
};

enum class LaunchFate { compared, ignored, other_algorithm, no_counterpart, unmatched };
std::string_view to_string(LaunchFate fate);

struct NcuLaunch {
    const NcuKernel* kernel = nullptr;
    LaunchFate fate = LaunchFate::unmatched;
    std::string rule;  // the rule's name, empty when unmatched
    std::string note;  // what it was compared with, or why not
};

struct NcuValidation {
    ValidationRun run;
    std::vector<NcuLaunch> launches;          // every launch of the report, in order
    std::vector<sim::Result> simulations;     // those the records were predicted from
    std::vector<std::string> not_measured;    // "sram_read_bytes (lacks ...)" for fields left out
    std::vector<std::string> simulated_only;  // simulated kernels no launch was compared with
    double launch_interval_s = 0;  // the model's per-kernel launch cost, left out of predicted time
};

// Throws ConfigError for a GPU that cannot be chosen, a simulation that fails (naming the launch
// whose tile it used) or a compared launch lacking a required metric.
NcuValidation validate_ncu_report(const NcuReport& report, const KernelRules& rules,
                                  const NcuValidationOptions& options);

// The launch table and notes printed before the error summary.
std::string format_ncu_launches(const NcuValidation& validation, const NcuReport& report);

}  // namespace flashscope::validate
