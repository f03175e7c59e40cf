#include "session_file.hpp"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>

#include "flashscope/core/atomic_file.hpp"
#include "flashscope/core/error.hpp"

namespace flashscope::gui {

namespace {

constexpr int k_session_version = 1;

template <typename T>
void read(const YAML::Node& node, const char* key, T& target) {
    if (!node[key]) return;
    try {
        target = node[key].as<T>();
    } catch (const YAML::Exception& e) {
        throw ConfigError(key, YAML::Dump(node[key]), std::string("unreadable in session: ") + e.what());
    }
}

}  // namespace

std::string session_to_yaml(const Session& session) {
    const auto& c = session.config;
    const auto& p = c.problem;
    YAML::Emitter out;
    out << YAML::BeginMap;
    out << YAML::Key << "flashscope_session" << YAML::Value << k_session_version;
    out << YAML::Key << "gpu" << YAML::Value << c.gpu;
    out << YAML::Key << "problem" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "batch" << YAML::Value << p.batch << YAML::Key << "heads" << YAML::Value << p.heads;
    out << YAML::Key << "kv_heads" << YAML::Value << p.kv_heads;
    out << YAML::Key << "seq_q" << YAML::Value << p.seq_q << YAML::Key << "seq_k" << YAML::Value << p.seq_k;
    out << YAML::Key << "head_dim" << YAML::Value << p.head_dim;
    out << YAML::Key << "dtype" << YAML::Value << std::string(to_string(p.dtype));
    out << YAML::Key << "causal" << YAML::Value << p.causal;
    out << YAML::Key << "pass" << YAML::Value << std::string(to_string(p.pass));
    out << YAML::Key << "softmax_scale" << YAML::Value << p.softmax_scale;
    out << YAML::Key << "dropout" << YAML::Value << p.dropout;
    out << YAML::EndMap;
    out << YAML::Key << "algorithm" << YAML::Value << std::string(to_string(c.algorithm));
    out << YAML::Key << "tile" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "block_m" << YAML::Value << c.tile.block_m << YAML::Key << "block_n" << YAML::Value
        << c.tile.block_n;
    out << YAML::Key << "warps" << YAML::Value << c.tile.warps << YAML::Key << "stages" << YAML::Value
        << c.tile.stages;
    out << YAML::EndMap;
    out << YAML::Key << "model" << YAML::Value << std::string(sim::to_string(c.model));
    out << YAML::Key << "naive_eager" << YAML::Value << c.naive_eager;
    out << YAML::Key << "view" << YAML::Value << session.current_view;
    out << YAML::Key << "validation_file" << YAML::Value << session.validation_file;
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
        throw ConfigError("session", "(file)", "is not a flashscope session (no flashscope_session key)");
    Session s;
    auto& c = s.config;
    read(root, "gpu", c.gpu);
    if (const auto p = root["problem"]) {
        read(p, "batch", c.problem.batch);
        read(p, "heads", c.problem.heads);
        read(p, "kv_heads", c.problem.kv_heads);
        read(p, "seq_q", c.problem.seq_q);
        read(p, "seq_k", c.problem.seq_k);
        read(p, "head_dim", c.problem.head_dim);
        std::string dtype(to_string(c.problem.dtype)), pass(to_string(c.problem.pass));
        read(p, "dtype", dtype);
        read(p, "pass", pass);
        c.problem.dtype = parse_dtype(dtype);
        c.problem.pass = parse_pass(pass);
        read(p, "causal", c.problem.causal);
        read(p, "softmax_scale", c.problem.softmax_scale);
        read(p, "dropout", c.problem.dropout);
    }
    std::string algorithm(to_string(c.algorithm)), model(sim::to_string(c.model));
    read(root, "algorithm", algorithm);
    read(root, "model", model);
    c.algorithm = parse_algorithm(algorithm);
    c.model = sim::parse_model(model);
    if (const auto t = root["tile"]) {
        read(t, "block_m", c.tile.block_m);
        read(t, "block_n", c.tile.block_n);
        read(t, "warps", c.tile.warps);
        read(t, "stages", c.tile.stages);
    }
    read(root, "naive_eager", c.naive_eager);
    read(root, "view", s.current_view);
    read(root, "validation_file", s.validation_file);
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
