// simulate(): named options in, one Result per configuration out, simulated without the GIL.
// The options are the rows of the one options table (flashscope/sim/simulation_options.hpp) that
// also makes simulate's flags and a sweep file's keys, read by the same functions.
#include "flashscope/sim/simulate.hpp"

#include <nanobind/stl/optional.h>
#include <nanobind/stl/pair.h>
#include <nanobind/stl/string.h>
#include <nanobind/stl/vector.h>

#include <optional>

#include "bindings.hpp"
#include "flashscope/core/error.hpp"
#include "flashscope/sim/simulation_options.hpp"
#include "result_object.hpp"

namespace nb = nanobind;

namespace flashscope::python {
namespace {

using GivenOptions = std::vector<std::pair<std::string, std::vector<std::string>>>;  // key, texts

std::vector<sim::OptionAxis> axes_of(const GivenOptions& options) {
    std::vector<sim::OptionAxis> given;
    for (const auto& [key, texts] : options) {
        const sim::SimulationOption* option = sim::find_simulation_option(key);
        if (option == nullptr)
            throw ConfigError("option", key, "unknown; known: " + sim::known_option_keys());
        if (texts.size() != 1 && !option->several) {
            std::string list;
            for (const std::string& text : texts) list += (list.empty() ? "[" : ", ") + text;
            throw ConfigError(key, list + "]", "takes one value (flashscope.sweep takes lists)");
        }
        sim::OptionAxis axis = sim::make_axis(*option);
        for (const std::string& text : texts) sim::add_value(axis, text);
        given.push_back(std::move(axis));
    }
    std::vector<sim::OptionAxis> axes =
        sim::product_axes(std::move(given), sim::Unset::run_defaults, sim::option_key);
    sim::check_effective(axes, sim::option_key);
    return axes;
}

// gpu, when given, replaces the gpu option (a Gpu object from Python, possibly changed).
std::vector<SimulationResult> simulate_options(const GivenOptions& options,
                                               const std::optional<sim::GpuSpec>& gpu,
                                               bool timeline) {
    const std::vector<sim::SimulationConfig> configs = sim::product_configs(axes_of(options));
    if (timeline && configs.front().model != sim::Model::cycle)
        throw ConfigError("timeline", "True", "needs model=\"cycle\"");
    const sim::GpuSpec spec = gpu ? *gpu : sim::resolve_config_gpu(configs.front().gpu);
    std::vector<SimulationResult> results;
    nb::gil_scoped_release release;
    for (const sim::SimulationConfig& config : configs) {
        sim::SimulationRequest request = sim::make_request(config, spec);
        request.timeline = timeline;
        results.push_back({sim::simulate(request), spec});
    }
    return results;
}

nb::list option_table() {
    nb::list rows;
    for (const sim::SimulationOption& o : sim::simulation_options()) {
        nb::dict row;
        row["key"] = std::string(o.key);
        row["value_name"] = std::string(o.value_name);
        row["help"] = std::string(o.help);
        row["boolean"] = o.kind == sim::OptionKind::boolean;
        row["several"] = o.several;
        rows.append(row);
    }
    return rows;
}

}  // namespace

void bind_simulate(nb::module_& m) {
    m.def("_simulate", &simulate_options, nb::arg("options"), nb::arg("gpu").none(),
          nb::arg("timeline"));
    m.def("_option_table", &option_table);
}

}  // namespace flashscope::python
