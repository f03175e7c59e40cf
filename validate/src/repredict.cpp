#include "flashscope/validate/repredict.hpp"

#include <algorithm>
#include <map>
#include <ostream>

#include "flashscope/profiler/counter_conversion.hpp"
#include "flashscope/profiler/counter_names.hpp"
#include "flashscope/sim/simulate.hpp"
#include "flashscope/sim/simulation_config.hpp"
#include "flashscope/validate/statistics.hpp"

namespace flashscope::validate {

ValidationRun repredict(const ValidationRun& measured, const sim::GpuSpec& gpu,
                        const std::string& gpu_name, sim::Model model, std::ostream& progress,
                        const PtxasRegisters* ptxas) {
    ValidationRun run = measured;
    run.gpu_preset = gpu_name;
    run.model = std::string(sim::to_string(model));
    run.records.clear();
    // One simulation per configuration: its kernels by name, and the dirty bytes at the end.
    std::map<std::string, std::map<std::string, Metrics>> predicted;
    std::int64_t configurations = 0, with_ptxas = 0;
    for (const ValidationRecord& r : measured.records) {
        const std::string config =
            to_string(ConfigKey{r.key.problem, r.key.algorithm, r.key.tile, ""});
        auto [it, fresh] = predicted.try_emplace(config);
        if (fresh) {
            sim::SimulationConfig c;
            c.problem = r.key.problem;
            c.algorithm = r.key.algorithm;
            c.tile = r.key.tile;
            c.model = model;
            sim::SimulationRequest request = sim::make_request(c, gpu);
            ++configurations;
            if (ptxas != nullptr) {
                request.kernel_registers = ptxas->entries;
                const std::string main_kernel = std::string(to_string(r.key.algorithm)) + "_" +
                                                std::string(to_string(r.key.problem.pass));
                with_ptxas +=
                    std::any_of(ptxas->entries.begin(), ptxas->entries.end(),
                                [&](const sim::KernelRegisters& e) {
                                    return e.applies_to(main_kernel, r.key.problem, r.key.tile);
                                });
            }
            const sim::Result result = sim::simulate(request);
            for (const auto& k : result.kernels) it->second[k.name] = k.metrics;
            Metrics dirty;
            dirty.hbm_write_bytes = result.l2_dirty_at_end_bytes;
            it->second[k_l2_dirty_at_end] = dirty;
        }
        const auto kernel = it->second.find(r.key.kernel);
        if (kernel == it->second.end()) {
            progress << "  measured but not predicted: " << to_string(r.key) << "\n";
            continue;
        }
        ValidationRecord record = r;
        record.predicted = kernel->second;
        // l2_read_bytes is what the SMs received (counter_names.hpp) since 2026-12-01; files
        // measured before keep the L2-side count, files with the SM-side counter are read anew.
        if (r.counters.count(std::string(profiler::counters::l1tex_received_read_sectors)))
            record.measured.l2_read_bytes =
                profiler::metrics_from_counters(r.counters).l2_read_bytes;
        run.records.push_back(std::move(record));
    }
    if (ptxas != nullptr) {
        progress << "  ptxas registers (" << ptxas->arch << ") for " << with_ptxas << " of "
                 << configurations << " configurations; the others keep the estimate\n";
        run.model += " (registers of the built kernels from ptxas, " + ptxas->arch + ")";
    }
    run.errors = summarize_errors(run.records);
    run.ranks = rank_agreement(run.records);
    return run;
}

}  // namespace flashscope::validate
