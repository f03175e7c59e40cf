// flashscope validate --repredict FILE: a committed GPU run's measurements beside the current
// simulator's predictions, recomputed on this machine (no GPU). How a model change is judged
// between GPU runs; the measured side is never used to set a parameter.
#include <filesystem>
#include <iostream>
#include <optional>

#include "flashscope/core/atomic_file.hpp"
#include "flashscope/core/error.hpp"
#include "flashscope/sim/gpu_spec.hpp"
#include "flashscope/validate/repredict.hpp"
#include "flashscope/validate/summary_text.hpp"
#include "validate_modes.hpp"

namespace flashscope::cli {

void run_validate_repredict(const ValidateOptions& o) {
    const auto format = validate::parse_file_format(
        !o.format.empty() ? o.format
                          : (std::filesystem::path(o.out).extension() == ".csv" ? "csv" : "json"));
    check_output_path("out", o.out);
    const validate::ValidationRun measured = validate::read_validation(o.repredict);
    const std::string gpu_name = o.gpu.empty() ? measured.gpu_preset : o.gpu;
    const sim::GpuSpec gpu = sim::resolve_gpu(gpu_name);
    std::optional<validate::PtxasRegisters> ptxas;
    if (!o.ptxas.empty()) {
        ptxas = validate::PtxasRegisters{
            validate::ptxas_entries(validate::read_ptxas_kernels(o.ptxas), o.ptxas_arch),
            o.ptxas_arch};
        if (ptxas->entries.empty())
            throw ConfigError("ptxas-arch", o.ptxas_arch,
                              "no tiled kernel of " + o.ptxas + " was built for it");
    }
    validate::ValidationRun run = validate::repredict(
        measured, gpu, gpu.name, sim::parse_model(o.model), std::cerr, ptxas ? &*ptxas : nullptr);
    run.command = measured.command + "; predictions by " + o.command;
    validate::write_validation(o.out, run, format);
    std::cerr << "validate: wrote " << run.records.size() << " records to " << o.out << "\n";
    std::cout << validate::format_summary(run);
}

}  // namespace flashscope::cli
