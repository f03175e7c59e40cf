// The typed result objects. Field names are the C++ structs' (and so the CLI's); to_dict() is the
// CLI's `simulate --format json` object (schema flashscope.result/1) for the same run.
#include <nanobind/stl/array.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include "bindings.hpp"
#include "flashscope/sim/result_io.hpp"
#include "json_value.hpp"
#include "result_object.hpp"

namespace nb = nanobind;

namespace flashscope::python {
namespace {

template <typename Enum>
std::string text(Enum value) {
    return std::string(to_string(value));
}

void bind_problem(nb::module_& m) {
    nb::class_<AttentionProblem>(m, "Problem", "One attention call: shapes, dtype, mask and pass")
        .def_ro("batch", &AttentionProblem::batch)
        .def_ro("heads", &AttentionProblem::heads)
        .def_ro("kv_heads", &AttentionProblem::kv_heads)
        .def_ro("seq_q", &AttentionProblem::seq_q)
        .def_ro("seq_k", &AttentionProblem::seq_k)
        .def_ro("head_dim", &AttentionProblem::head_dim)
        .def_prop_ro("dtype", [](const AttentionProblem& p) { return text(p.dtype); })
        .def_ro("causal", &AttentionProblem::causal)
        .def_prop_ro(
            "pass_", [](const AttentionProblem& p) { return text(p.pass); }, "fwd, bwd or fwdbwd")
        .def_prop_ro("softmax_scale", &AttentionProblem::effective_scale)
        .def_ro("dropout", &AttentionProblem::dropout)
        .def("to_dict",
             [](const AttentionProblem& p) { return to_python(sim::problem_to_json(p)); });

    nb::class_<TileConfig>(m, "Tile",
                           "A kernel's tile: block_m query rows, block_n key rows, warps, stages")
        .def_ro("block_m", &TileConfig::block_m)
        .def_ro("block_n", &TileConfig::block_n)
        .def_ro("warps", &TileConfig::warps)
        .def_ro("stages", &TileConfig::stages)
        .def("__repr__", [](const TileConfig& t) {
            return "<flashscope.Tile " + std::to_string(t.block_m) + "x" +
                   std::to_string(t.block_n) + " w" + std::to_string(t.warps) + " s" +
                   std::to_string(t.stages) + ">";
        });
}

void bind_metrics(nb::module_& m) {
    nb::class_<Metrics>(m, "Metrics",
                        "Bytes moved at each level, FLOP and time (the shared result fields)")
        .def_ro("hbm_read_bytes", &Metrics::hbm_read_bytes)
        .def_ro("hbm_write_bytes", &Metrics::hbm_write_bytes)
        .def_ro("l2_read_bytes", &Metrics::l2_read_bytes)
        .def_ro("l2_write_bytes", &Metrics::l2_write_bytes)
        .def_ro("sram_read_bytes", &Metrics::sram_read_bytes)
        .def_ro("sram_write_bytes", &Metrics::sram_write_bytes)
        .def_ro("flops_matmul", &Metrics::flops_matmul)
        .def_ro("flops_softmax", &Metrics::flops_softmax)
        .def_prop_ro("flops", &Metrics::flops)
        .def_ro("hbm_footprint_bytes", &Metrics::hbm_footprint_bytes)
        .def_ro("time_s", &Metrics::time_s)
        .def_ro("cycles", &Metrics::cycles)
        .def("to_dict", [](const Metrics& x) { return to_python(sim::metrics_to_json(x)); });
}

void bind_kernel(nb::module_& m) {
    using sim::KernelResult;
    nb::class_<KernelResult>(m, "Kernel", "One kernel of a pass: its metrics and scheduling facts")
        .def_ro("name", &KernelResult::name)
        .def_ro("metrics", &KernelResult::metrics)
        .def_ro("ctas", &KernelResult::ctas)
        .def_ro("ctas_per_sm", &KernelResult::ctas_per_sm)
        .def_ro("occupancy_limit", &KernelResult::occupancy_limit)
        .def_ro("occupancy", &KernelResult::occupancy)
        .def_ro("waves", &KernelResult::waves)
        .def_prop_ro("bottleneck", [](const KernelResult& k) { return text(k.bottleneck); })
        .def_ro("sram_per_cta_bytes", &KernelResult::sram_per_cta_bytes)
        .def_ro("registers_per_thread", &KernelResult::registers_per_thread)
        .def_ro("spill_bytes_per_thread", &KernelResult::spill_bytes_per_thread)
        .def("__repr__",
             [](const KernelResult& k) { return "<flashscope.Kernel " + k.name + ">"; });

    using sim::TimelineSample;
    nb::class_<TimelineSample>(m, "TimelineSample",
                               "Each resource's utilization (0..1) over one interval")
        .def_ro("t_begin_s", &TimelineSample::t_begin_s)
        .def_ro("t_end_s", &TimelineSample::t_end_s)
        .def_ro("kernel", &TimelineSample::kernel)
        .def_prop_ro("utilization", [](const TimelineSample& s) {
            nb::dict out;  // keyed by resource name, as the CLI's timeline CSV columns
            for (std::size_t i = 0; i < s.utilization.size(); ++i)
                out[nb::str(text(static_cast<sim::Resource>(i)).c_str())] = s.utilization[i];
            return out;
        });
}

void bind_simulation_result(nb::module_& m) {
    nb::class_<SimulationResult>(m, "Result",
                                 "What one simulation returns, per kernel and in total")
        .def_prop_ro("gpu", [](const SimulationResult& r) { return r.gpu; })
        .def_prop_ro("problem", [](const SimulationResult& r) { return r.result.problem; })
        .def_prop_ro("algorithm",
                     [](const SimulationResult& r) { return text(r.result.algorithm); })
        .def_prop_ro(
            "tile", [](const SimulationResult& r) { return r.result.tile; }, "the tile as resolved")
        .def_prop_ro("model", [](const SimulationResult& r) { return text(r.result.model); })
        .def_prop_ro("naive_eager", [](const SimulationResult& r) { return r.result.naive_eager; })
        .def_prop_ro("totals", [](const SimulationResult& r) { return r.result.totals; })
        .def_prop_ro("kernels", [](const SimulationResult& r) { return r.result.kernels; })
        .def_prop_ro("l2_dirty_at_end_bytes",
                     [](const SimulationResult& r) { return r.result.l2_dirty_at_end_bytes; })
        .def_prop_ro("bottleneck",
                     [](const SimulationResult& r) { return text(r.result.bottleneck); })
        .def_prop_ro("fits_hbm", [](const SimulationResult& r) { return r.result.fits_hbm; })
        .def_prop_ro(
            "timeline", [](const SimulationResult& r) { return r.result.timeline; },
            "per interval utilization; empty unless simulate(timeline=True)")
        .def(
            "to_dict",
            [](const SimulationResult& r) {
                return to_python(sim::result_to_json(r.result, r.gpu));
            },
            "The result as `flashscope simulate --format json` prints it (schema "
            "flashscope.result/1)")
        .def("__repr__", [](const SimulationResult& r) {
            const TileConfig& t = r.result.tile;
            return "<flashscope.Result " + text(r.result.algorithm) + " on " + r.gpu.name +
                   ", tile " + std::to_string(t.block_m) + "x" + std::to_string(t.block_n) + ": " +
                   std::to_string(r.result.totals.time_s * 1e3) + " ms, " +
                   text(r.result.bottleneck) + "-bound>";
        });
}

}  // namespace

void bind_result(nb::module_& m) {
    bind_problem(m);
    bind_metrics(m);
    bind_kernel(m);
    bind_simulation_result(m);
}

}  // namespace flashscope::python
