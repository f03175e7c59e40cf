// GPU descriptions: the built-in presets, a user's YAML file, and the fields of each (writable,
// so a notebook can ask "what if HBM were twice as fast" and pass the changed Gpu to simulate).
#include <nanobind/stl/filesystem.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include "bindings.hpp"
#include "flashscope/sim/gpu_spec.hpp"
#include "flashscope/sim/result_io.hpp"
#include "json_value.hpp"

namespace nb = nanobind;

namespace flashscope::python {

void bind_gpu(nb::module_& m) {
    using sim::GpuSpec;
    nb::class_<GpuSpec>(
        m, "Gpu",
        "A GPU as the simulator sees it (the preset schema of configs/gpus/, in SI units)")
        .def_rw("name", &GpuSpec::name)
        .def_rw("description", &GpuSpec::description)
        .def_rw("sm_count", &GpuSpec::sm_count)
        .def_rw("sm_clock_hz", &GpuSpec::sm_clock_hz)
        .def_rw("registers_per_sm", &GpuSpec::registers_per_sm)
        .def_rw("max_registers_per_thread", &GpuSpec::max_registers_per_thread)
        .def_rw("max_threads_per_sm", &GpuSpec::max_threads_per_sm)
        .def_rw("max_threads_per_cta", &GpuSpec::max_threads_per_cta)
        .def_rw("max_ctas_per_sm", &GpuSpec::max_ctas_per_sm)
        .def_rw("sram_per_sm_bytes", &GpuSpec::sram_per_sm_bytes)
        .def_rw("sram_per_block_bytes", &GpuSpec::sram_per_block_bytes)
        .def_rw("sram_bytes_per_clk_per_sm", &GpuSpec::sram_bytes_per_clk_per_sm)
        .def_rw("l2_size_bytes", &GpuSpec::l2_size_bytes)
        .def_rw("l2_resident_bytes", &GpuSpec::l2_resident_bytes)
        .def_rw("l2_resident_updated_bytes", &GpuSpec::l2_resident_updated_bytes)
        .def_rw("l2_dirty_limit_bytes", &GpuSpec::l2_dirty_limit_bytes)
        .def_rw("l2_line_bytes", &GpuSpec::l2_line_bytes)
        .def_rw("l2_sector_bytes", &GpuSpec::l2_sector_bytes)
        .def_rw("l2_bytes_per_clk", &GpuSpec::l2_bytes_per_clk)
        .def_rw("l2_write_bytes_per_clk", &GpuSpec::l2_write_bytes_per_clk)
        .def_rw("l2_latency_cycles", &GpuSpec::l2_latency_cycles)
        .def_rw("hbm_size_bytes", &GpuSpec::hbm_size_bytes)
        .def_rw("hbm_bytes_per_s", &GpuSpec::hbm_bytes_per_s)
        .def_rw("hbm_latency_s", &GpuSpec::hbm_latency_s)
        .def_rw("kernel_launch_s", &GpuSpec::kernel_launch_s)
        .def_rw("cta_launch_s", &GpuSpec::cta_launch_s)
        .def_rw("l2_sm_read_bytes_per_clk", &GpuSpec::l2_sm_read_bytes_per_clk)
        .def_rw("l2_sm_write_bytes_per_clk", &GpuSpec::l2_sm_write_bytes_per_clk)
        .def_rw("l2_sm_reduce_bytes_per_clk", &GpuSpec::l2_sm_reduce_bytes_per_clk)
        .def_rw("l2_sm_line_read_bytes_per_clk", &GpuSpec::l2_sm_line_read_bytes_per_clk)
        .def_rw("l2_sm_bulk_reduce_bytes_per_clk", &GpuSpec::l2_sm_bulk_reduce_bytes_per_clk)
        .def_rw("l2_warp_load_cycles", &GpuSpec::l2_warp_load_cycles)
        .def_rw("l2_atomic_latency_cycles", &GpuSpec::l2_atomic_latency_cycles)
        .def_rw("tensor_flops_per_clk_fp16", &GpuSpec::tensor_flops_per_clk_fp16)
        .def_rw("tensor_flops_per_clk_bf16", &GpuSpec::tensor_flops_per_clk_bf16)
        .def_rw("tensor_flops_per_clk_fp32", &GpuSpec::tensor_flops_per_clk_fp32)
        .def_rw("fp32_flops_per_clk", &GpuSpec::fp32_flops_per_clk)
        .def_rw("sfu_ops_per_clk", &GpuSpec::sfu_ops_per_clk)
        .def_rw("wgmma_flops_per_clk", &GpuSpec::wgmma_flops_per_clk)
        .def_rw("wgmma_latency_cycles", &GpuSpec::wgmma_latency_cycles)
        .def_rw("wgmma_fma_hidden_share", &GpuSpec::wgmma_fma_hidden_share)
        .def_rw("wgmma_fma_rate_share", &GpuSpec::wgmma_fma_rate_share)
        .def_rw("wgmma_mufu_rate_share", &GpuSpec::wgmma_mufu_rate_share)
        .def_rw("wgmma_alu_rate_share", &GpuSpec::wgmma_alu_rate_share)
        .def_rw("mbarrier_wait_cycles", &GpuSpec::mbarrier_wait_cycles)
        .def_rw("mma_fma_hidden_share", &GpuSpec::mma_fma_hidden_share)
        .def_prop_ro("l2_bytes_per_s", &GpuSpec::l2_bytes_per_s)
        .def("validate", &GpuSpec::validate, "Raises ConfigError naming the first impossible field")
        .def(
            "to_dict", [](const GpuSpec& g) { return to_python(sim::gpu_to_json(g)); },
            "The GPU as the CLI's JSON results show it")
        .def("__repr__", [](const GpuSpec& g) {
            return "<flashscope.Gpu " + g.name + ": " + g.description + ">";
        });

    m.def(
        "gpus",
        [] {
            std::vector<GpuSpec> presets;
            for (const std::string& name : sim::gpu_preset_names())
                presets.push_back(sim::gpu_preset(name));
            return presets;
        },
        "The built-in GPU presets (flashscope gpus)");
    m.def(
        "gpu", [](const std::string& name) { return sim::gpu_preset(name); }, nb::arg("name"),
        "One built-in preset by name");
    m.def(
        "gpu_yaml", [](const std::string& name) { return std::string(sim::gpu_preset_yaml(name)); },
        nb::arg("name"), "A preset's YAML text, with its sources (flashscope gpus NAME)");
    m.def(
        "load_gpu",
        [](const std::filesystem::path& path) { return sim::load_gpu_file(path.string()); },
        nb::arg("path"),
        "A GPU from a YAML file in the preset schema (configs/gpus/); unknown or missing keys "
        "raise ConfigError");
}

}  // namespace flashscope::python
