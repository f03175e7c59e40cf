#include "flashscope/sweep/sweep_spec.hpp"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <map>
#include <sstream>

#include "flashscope/core/error.hpp"
#include "flashscope/sweep/spec_error.hpp"
#include "flashscope/sweep/spec_values.hpp"

namespace flashscope::sweep {
namespace {

std::int64_t line_of(const YAML::Node& node) {
    return node.Mark().line + 1;
}

// "'abc' must be a whole number in [0, 256]": the problem part of a SpecError.
std::string problem_of(const ConfigError& e) {
    return "'" + e.value() + "' " + e.limit();
}

// The value as it is compared and stored: read by the options table (64 for 0064) and checked as
// spec_values.hpp does; a GPU entry is loaded (relative to the sweep file) and named by its path.
std::string normalised_value(SweepSpec& spec, const sim::SimulationOption& option,
                             const std::string& text) {
    if (option.key == "gpu") {
        SweepGpu gpu = load_sweep_gpu(text, spec.origin);
        spec.gpu_specs.push_back(std::move(gpu.spec));
        spec.gpu_yaml.push_back(std::move(gpu.yaml));
        return gpu.name;
    }
    std::string value = sim::canonical_value(option, text);
    if (option.kind == sim::OptionKind::whole) check_value(option.key, std::stoll(value));
    return value;
}

// A key's value: one scalar or a non-empty list of distinct ones.
sim::OptionAxis read_axis(SweepSpec& spec, const sim::SimulationOption& option,
                          const YAML::Node& node) {
    const std::string key(option.key);
    const auto fail = [&](const YAML::Node& at, const std::string& problem) {
        return SpecError(spec.origin, line_of(at), key, problem);
    };
    std::vector<YAML::Node> items;
    if (node.IsSequence()) {
        for (const YAML::Node& item : node) items.push_back(item);
        if (items.empty()) throw fail(node, "the list is empty; give at least one value");
    } else {
        items.push_back(node);
    }
    sim::OptionAxis axis = sim::make_axis(option);
    std::map<std::string, std::string> seen;  // normalised value -> as written
    for (const YAML::Node& item : items) {
        if (!item.IsScalar()) throw fail(item, "expected a value or a list of values");
        std::string value;
        try {
            value = normalised_value(spec, option, item.Scalar());
        } catch (const ConfigError& e) {  // a GPU file names the path it tried
            throw fail(item, option.key == "gpu" ? std::string(e.what()) : problem_of(e));
        }
        if (const auto [it, fresh] = seen.emplace(value, item.Scalar()); !fresh)
            throw fail(item, listed_twice(it->second, item.Scalar(), value));
        sim::add_value(axis, value);
    }
    return axis;
}

}  // namespace

std::vector<std::string> SweepSpec::values(std::string_view key) const {
    for (const sim::OptionAxis& axis : axes)
        if (axis.option->key == key) return axis.texts;
    return {sim::find_simulation_option(key)->text(sim::SimulationConfig{})};
}

const std::vector<std::string_view>& sweep_keys() {
    static const std::vector<std::string_view> keys = [] {
        std::vector<std::string_view> k;
        for (const sim::SimulationOption& o : sim::simulation_options()) k.push_back(o.key);
        return k;
    }();
    return keys;
}

SweepSpec parse_sweep_spec(std::string_view yaml_text, const std::string& origin) {
    YAML::Node root;
    try {
        root = YAML::Load(std::string(yaml_text));
    } catch (const YAML::Exception& e) {
        throw SpecError(origin, e.mark.line + 1, "", "not valid YAML: " + e.msg);
    }
    if (!root.IsMap()) {
        const std::int64_t line = root.IsDefined() && !root.IsNull() ? line_of(root) : 1;
        throw SpecError(origin, line, "", "a sweep file is a mapping of keys to values or lists");
    }
    SweepSpec spec;
    spec.origin = origin;
    std::map<std::string, std::int64_t> lines;  // key -> its line, for messages about combinations
    std::vector<sim::OptionAxis> given;
    for (const auto& entry : root) {
        const std::string key = entry.first.Scalar();
        if (!lines.emplace(key, line_of(entry.first)).second)
            throw SpecError(origin, line_of(entry.first), key, "the key appears twice");
        if (key == "name" || key == "description") {
            if (!entry.second.IsScalar())
                throw SpecError(origin, line_of(entry.second), key, "expected text");
            (key == "name" ? spec.name : spec.description) = entry.second.Scalar();
        } else if (const sim::SimulationOption* option = sim::find_simulation_option(key)) {
            given.push_back(read_axis(spec, *option, entry.second));
        } else {
            throw SpecError(
                origin, line_of(entry.first), key,
                "unknown key (known: " + sim::known_option_keys() + ", name, description)");
        }
    }
    if (!lines.contains("gpu"))  // the engine picks each point's GPU from this axis
        given.push_back(read_axis(spec, *sim::find_simulation_option("gpu"),
                                  YAML::Node(sim::SimulationConfig{}.gpu)));
    try {
        spec.axes = sim::product_axes(std::move(given), sim::Unset::run_defaults, sim::option_key);
        sim::check_effective(spec.axes, sim::option_key);
    } catch (const ConfigError& e) {
        throw SpecError(origin, lines.contains(e.field()) ? lines.at(e.field()) : 0, e.field(),
                        problem_of(e));
    }
    spec.gpus = spec.values("gpu");
    return spec;
}

SweepSpec load_sweep_spec(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw SpecError(path, 0, "", "cannot open the sweep file");
    std::ostringstream text;
    text << in.rdbuf();
    return parse_sweep_spec(text.str(), path);
}

}  // namespace flashscope::sweep
