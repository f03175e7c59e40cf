#pragma once
// A validation file's measurements joined to the current simulator: every record's configuration
// is simulated again (on `gpu`, with `model`) and its predicted side, errors, summary and rank
// agreement are recomputed. Host code: a model change is judged against a committed GPU run on any
// machine. The measured side, device, date and counters are kept as they were.
#include <iosfwd>
#include <string>

#include "flashscope/sim/gpu_spec.hpp"
#include "flashscope/sim/result.hpp"
#include "flashscope/validate/ptxas_registers.hpp"
#include "flashscope/validate/validation_file.hpp"

namespace flashscope::validate {

// The built kernels' ptxas register use for one architecture: a configuration whose main kernel
// is in it is predicted with those registers (occupancy, spills) instead of the estimate.
struct PtxasRegisters {
    std::vector<sim::KernelRegisters> entries;  // ptxas_entries()
    std::string arch;
};

// Records whose kernel the simulator no longer names are dropped and listed on `progress`.
ValidationRun repredict(const ValidationRun& measured, const sim::GpuSpec& gpu,
                        const std::string& gpu_name, sim::Model model, std::ostream& progress,
                        const PtxasRegisters* ptxas = nullptr);

}  // namespace flashscope::validate
