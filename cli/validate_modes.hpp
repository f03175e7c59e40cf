#pragma once
// The ways `flashscope validate` gets measurements: it runs the suite's kernels under CUPTI
// (CUDA builds, validate_suite.cpp), reads an Nsight Compute report (every build,
// validate_ncu.cpp) or takes them from an earlier validation file and predicts again
// (validate_repredict.cpp). All write flashscope.validation/1 and print the same error summary.
#include <cstdint>
#include <string>
#include <vector>

#include "flashscope/core/algorithm.hpp"
#include "flashscope/sim/simulation_config.hpp"

namespace flashscope::cli {

struct ValidateOptions {
    // Shared
    std::string gpu;
    std::string out = "flashscope-validation.json";
    std::string format;  // from --out's extension when empty
    std::string model = "cycle";
    std::string trace;  // Chrome trace of measured and predicted kernel times
    std::string command;
    // Suite (CUDA builds)
    std::string suite = "configs/validation/default.yaml";
    bool quick = false;
    std::string l2 = "chained";
    int runs = 5;
    std::int64_t max_cases = 0;
    bool instructions = false;  // also the instruction counter group (may add passes)
    // An earlier validation file whose measurements are compared with the current simulator
    std::string repredict;
    std::string ptxas;                 // kernels/resource_usage.json of the build that ran
    std::string ptxas_arch = "sm_90";  // whose entries apply
    // Nsight Compute report
    std::string ncu;
    std::string kernel_rules;
    std::vector<Algorithm> algos;  // empty: every algorithm a rule matched
    // The problem, tile and naive eager mode as the profiled program ran them, from simulate's
    // flags (the options table); its gpu, model and algo are not used.
    sim::SimulationConfig config;
};

void run_validate_suite(const ValidateOptions& options);  // throws when the build has no CUDA
void run_validate_ncu(const ValidateOptions& options);
void run_validate_repredict(const ValidateOptions& options);

}  // namespace flashscope::cli
