// simulate(): named options in, one Result per configuration out, simulated without the GIL.
// The options are read by the same reader as a sweep file's keys, so Python accepts exactly the
// option names and values that a sweep (and so the CLI) accepts.
#include "flashscope/sim/simulate.hpp"

#include <nanobind/stl/optional.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <optional>

#include "bindings.hpp"
#include "flashscope/sweep/product.hpp"
#include "flashscope/sweep/sweep_spec.hpp"
#include "result_object.hpp"

namespace nb = nanobind;

namespace flashscope::python {
namespace {

// options_text: the options as a YAML (or JSON) mapping; gpu, when given, replaces the option's.
std::vector<SimulationResult> simulate_options(const std::string& options_text,
                                               const std::optional<sim::GpuSpec>& gpu,
                                               bool timeline) {
    const sweep::SweepSpec spec = sweep::parse_sweep_spec(options_text, "simulate");
    const std::vector<sweep::SweepPoint> points = sweep::expand(spec);
    std::vector<SimulationResult> results;
    nb::gil_scoped_release release;
    for (const sweep::SweepPoint& point : points) {
        sim::SimulationRequest request =
            sweep::request_for(point, gpu ? *gpu : spec.gpu_specs.at(point.gpu_slot));
        request.timeline = timeline;
        results.push_back({sim::simulate(request), request.gpu});
    }
    return results;
}

}  // namespace

void bind_simulate(nb::module_& m) {
    m.def("_simulate", &simulate_options, nb::arg("options_text"), nb::arg("gpu").none(),
          nb::arg("timeline"));
    m.def("_option_keys", [] {
        std::vector<std::string> keys;
        for (std::string_view key : sweep::sweep_keys()) keys.emplace_back(key);
        return keys;
    });
}

}  // namespace flashscope::python
