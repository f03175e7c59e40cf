#include "session_file.hpp"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>
#include <utility>
#include <vector>

#include "flashscope/core/atomic_file.hpp"
#include "flashscope/core/error.hpp"
#include "flashscope/core/number_text.hpp"
#include "flashscope/sim/simulation_options.hpp"

namespace flashscope::gui {

namespace {

constexpr int k_session_version = 2;
constexpr std::int64_t k_max_view = 63;

// The key/value pairs of a session, version 1's nested problem and tile maps flattened.
std::vector<std::pair<std::string, YAML::Node>> entries_of(const YAML::Node& root,
                                                           std::int64_t version) {
    std::vector<std::pair<std::string, YAML::Node>> entries;
    for (const auto& entry : root) {
        const std::string key = entry.first.Scalar();
        if (version == 1 && (key == "problem" || key == "tile") && entry.second.IsMap()) {
            for (const auto& inner : entry.second)
                entries.emplace_back(inner.first.Scalar(), inner.second);
        } else {
            entries.emplace_back(version == 1 && key == "algorithm" ? "algo" : key, entry.second);
        }
    }
    return entries;
}

std::string scalar_of(const std::string& key, const YAML::Node& value) {
    if (!value.IsScalar()) throw ConfigError(key, YAML::Dump(value), "expected one value");
    return value.Scalar();
}

}  // namespace

std::string session_to_yaml(const Session& session) {
    YAML::Emitter out;
    out << YAML::BeginMap;
    out << YAML::Key << "flashscope_session" << YAML::Value << k_session_version;
    for (const sim::SimulationOption& option : sim::simulation_options()) {
        if (option.is_shorthand()) continue;
        out << YAML::Key << std::string(option.key) << YAML::Value << option.text(session.config);
    }
    out << YAML::Key << "view" << YAML::Value << session.current_view;
    out << YAML::Key << "validation_file" << YAML::Value << YAML::DoubleQuoted
        << session.validation_file;
    out << YAML::EndMap;
    return std::string(out.c_str()) + "\n";
}

Session session_from_yaml(const std::string& text) {
    YAML::Node root;
    try {
        root = YAML::Load(text);
    } catch (const YAML::Exception& e) {
        throw ConfigError("session", "(YAML)", e.what());
    }
    if (!root.IsMap() || !root["flashscope_session"])
        throw ConfigError("session", "(file)",
                          "is not a flashscope session (no flashscope_session key)");
    const std::int64_t version = parse_whole(
        "flashscope_session", scalar_of("flashscope_session", root["flashscope_session"]), 1,
        k_session_version);
    Session s;
    std::vector<sim::OptionAxis> given;
    for (const auto& [key, value] : entries_of(root, version)) {
        if (key == "flashscope_session") continue;
        if (key == "view") {
            s.current_view =
                static_cast<int>(parse_whole(key, scalar_of(key, value), 0, k_max_view));
        } else if (key == "validation_file") {
            s.validation_file = scalar_of(key, value);
        } else if (const sim::SimulationOption* option = sim::find_simulation_option(key)) {
            given.push_back(sim::make_axis(*option));
            sim::add_value(given.back(), scalar_of(key, value));
        } else {
            throw ConfigError(key, "(key)",
                              "unknown in a session (known: " + sim::known_option_keys() +
                                  ", view, validation_file)");
        }
    }
    const std::vector<sim::OptionAxis> axes =
        sim::product_axes(std::move(given), sim::Unset::defaults, sim::option_key);
    s.config = sim::compose(axes, std::vector<std::size_t>(axes.size(), 0));
    sim::check_config(
        s.config);  // gpu: tpu, kv_heads not dividing heads: refused here, not shown stale
    return s;
}

void save_session(const std::string& path, const Session& session) {
    write_file_atomically(path, session_to_yaml(session));
}

Session load_session(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ConfigError("session", path, "cannot be read");
    std::stringstream text;
    text << in.rdbuf();
    return session_from_yaml(text.str());
}

}  // namespace flashscope::gui
