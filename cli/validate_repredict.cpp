// flashscope validate --repredict FILE: a committed GPU run's measurements beside the current
// simulator's predictions, recomputed on this machine (no GPU). How a model change is judged
// between GPU runs; the measured side is never used to set a parameter.
#include <filesystem>
#include <iostream>

#include "flashscope/core/atomic_file.hpp"
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
    validate::ValidationRun run =
        validate::repredict(measured, gpu, gpu.name, sim::parse_model(o.model), std::cerr);
    run.command = measured.command + "; predictions by " + o.command;
    validate::write_validation(o.out, run, format);
    std::cerr << "validate: wrote " << run.records.size() << " records to " << o.out << "\n";
    std::cout << validate::format_summary(run);
}

}  // namespace flashscope::cli
