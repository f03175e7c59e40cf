#include "flashscope/validate/suite.hpp"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <set>
#include <sstream>

#include "flashscope/core/error.hpp"

namespace flashscope::validate {

namespace {

const std::set<std::string> k_top_keys = {"name", "batch", "heads", "dtype", "cases"};
const std::set<std::string> k_case_keys = {"algorithms", "passes", "head_dims", "seqs", "causal",
                                           "tiles",      "batch",  "heads",     "dtype"};

template <class T>
std::vector<T> as_list(const YAML::Node& node, const std::string& key) {
    try {
        if (node.IsSequence()) return node.as<std::vector<T>>();
        return {node.as<T>()};
    } catch (const YAML::Exception&) {
        throw ConfigError(key, YAML::Dump(node), "must be a value or a list of values");
    }
}

template <class T, class Parse>
std::vector<T> parsed_list(const YAML::Node& node, const std::string& key, Parse parse) {
    std::vector<T> out;
    for (const auto& text : as_list<std::string>(node, key)) out.push_back(parse(text));
    return out;
}

void check_keys(const YAML::Node& node, const std::set<std::string>& allowed,
                const std::string& where) {
    for (const auto& kv : node) {
        const auto key = kv.first.as<std::string>();
        if (!allowed.count(key)) throw ConfigError(where + key, "(unknown key)", "not a suite key");
    }
}

std::int64_t scalar(const YAML::Node& node, const std::string& key) {
    try {
        return node.as<std::int64_t>();
    } catch (const YAML::Exception&) {
        throw ConfigError(key, YAML::Dump(node), "must be an integer");
    }
}

// A tile as a map (block_m, block_n, warps, stages) or as the CLI's text, "128x64x4x2".
TileConfig parse_tile(const YAML::Node& node) {
    if (node.IsScalar()) {
        const TileConfig t = flashscope::parse_tile(node.Scalar());
        t.validate();
        return t;
    }
    if (!node.IsMap())
        throw ConfigError("tiles", YAML::Dump(node),
                          "a tile is block_m x block_n x warps x stages (\"128x64x4x2\") or a "
                          "map of those keys");
    TileConfig t;
    if (node["block_m"]) t.block_m = scalar(node["block_m"], "tiles.block_m");
    if (node["block_n"]) t.block_n = scalar(node["block_n"], "tiles.block_n");
    if (node["warps"]) t.warps = scalar(node["warps"], "tiles.warps");
    if (node["stages"]) t.stages = scalar(node["stages"], "tiles.stages");
    t.validate();
    return t;
}

template <class T>
void require_nonempty(const std::vector<T>& v, const std::string& key) {
    if (v.empty()) throw ConfigError(key, "[]", "needs at least one value");
}

}  // namespace

ValidationSuite parse_suite(const std::string& yaml_text) {
    YAML::Node root;
    try {
        root = YAML::Load(yaml_text);
    } catch (const YAML::Exception& e) {
        throw ConfigError("suite", "(YAML)", e.what());
    }
    if (!root.IsMap())
        throw ConfigError("suite", "(not a map)", "a suite is a YAML map with 'cases'");
    check_keys(root, k_top_keys, "");
    ValidationSuite suite;
    suite.name = root["name"] ? root["name"].as<std::string>() : "unnamed";
    SuiteCase defaults;
    if (root["batch"]) defaults.batch = scalar(root["batch"], "batch");
    if (root["heads"]) defaults.heads = scalar(root["heads"], "heads");
    if (root["dtype"]) defaults.dtype = parse_dtype(root["dtype"].as<std::string>());
    if (!root["cases"] || !root["cases"].IsSequence() || root["cases"].size() == 0)
        throw ConfigError("cases", "(missing)", "a suite needs a list of cases");
    for (const auto& node : root["cases"]) {
        check_keys(node, k_case_keys, "cases.");
        SuiteCase c = defaults;
        c.algorithms =
            parsed_list<Algorithm>(node["algorithms"], "algorithms",
                                   [](const std::string& s) { return parse_algorithm(s); });
        c.passes = node["passes"]
                       ? parsed_list<Pass>(node["passes"], "passes",
                                           [](const std::string& s) { return parse_pass(s); })
                       : std::vector<Pass>{Pass::fwd};
        c.head_dims = as_list<std::int64_t>(node["head_dims"], "head_dims");
        c.seqs = as_list<std::int64_t>(node["seqs"], "seqs");
        c.causal =
            node["causal"] ? as_list<bool>(node["causal"], "causal") : std::vector<bool>{false};
        if (node["batch"]) c.batch = scalar(node["batch"], "cases.batch");
        if (node["heads"]) c.heads = scalar(node["heads"], "cases.heads");
        if (node["dtype"]) c.dtype = parse_dtype(node["dtype"].as<std::string>());
        if (node["tiles"] && node["tiles"].IsSequence()) {
            c.all_tiles = false;
            for (const auto& t : node["tiles"]) c.tiles.push_back(parse_tile(t));
        } else if (node["tiles"] && node["tiles"].as<std::string>() != "all") {
            throw ConfigError("tiles", node["tiles"].as<std::string>(),
                              "must be 'all' or a list of tiles");
        }
        require_nonempty(c.algorithms, "algorithms");
        require_nonempty(c.head_dims, "head_dims");
        require_nonempty(c.seqs, "seqs");
        for (Pass p : c.passes)
            if (p == Pass::fwdbwd)
                throw ConfigError("passes", "fwdbwd", "list fwd and bwd separately");
        suite.cases.push_back(std::move(c));
    }
    return suite;
}

ValidationSuite load_suite(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw ConfigError("suite", path, "file cannot be read");
    std::stringstream text;
    text << in.rdbuf();
    return parse_suite(text.str());
}

std::vector<ValidationCase> expand(const ValidationSuite& suite, const TileLister& tiles_for) {
    std::vector<ValidationCase> out;
    for (const auto& c : suite.cases)
        for (Algorithm algo : c.algorithms)
            for (Pass pass : c.passes) {
                if (!descriptor(algo).measures(pass)) continue;  // kernels/ has no such pass
                for (std::int64_t d : c.head_dims)
                    for (std::int64_t seq : c.seqs)
                        for (bool causal : c.causal) {
                            AttentionProblem p;
                            p.batch = c.batch;
                            p.heads = c.heads;
                            p.kv_heads = c.heads;
                            p.seq_q = p.seq_k = seq;
                            p.head_dim = d;
                            p.dtype = c.dtype;
                            p.causal = causal;
                            p.pass = pass;
                            p.validate();
                            const auto tiles =
                                c.all_tiles ? tiles_for(algo, pass, c.dtype, d) : c.tiles;
                            for (const auto& tile : tiles) out.push_back({p, algo, tile});
                        }
            }
    return out;
}

}  // namespace flashscope::validate
