// flashscope gpus [NAME]: list the built-in GPU presets, or print one in full.
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "flashscope/sim/gpu_spec.hpp"
#include "result_table.hpp"

namespace flashscope::cli {

void add_gpus_command(CLI::App& app) {
    auto name = std::make_shared<std::string>();
    CLI::App* cmd =
        app.add_subcommand("gpus", "List the GPU presets, or show one (its YAML, with sources)");
    cmd->add_option("name", *name, "preset to show");
    cmd->callback([name] {
        if (!name->empty()) {
            std::cout << sim::gpu_preset_yaml(*name);
            return;
        }
        std::printf("%-16s %5s %9s %10s %9s %11s  %s\n", "preset", "SMs", "clock", "SRAM/SM", "L2",
                    "HBM", "description");
        for (const std::string& preset : sim::gpu_preset_names()) {
            const sim::GpuSpec g = sim::gpu_preset(preset);
            std::printf("%-16s %5lld %5.0f MHz %10s %9s %5.2f TB/s  %s\n", preset.c_str(),
                        static_cast<long long>(g.sm_count), g.sm_clock_hz / 1e6,
                        format_bytes(double(g.sram_per_sm_bytes)).c_str(),
                        format_bytes(double(g.l2_size_bytes)).c_str(), g.hbm_bytes_per_s / 1e12,
                        g.description.c_str());
        }
    });
}

}  // namespace flashscope::cli
