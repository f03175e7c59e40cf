#include "flashscope/sweep/sweep_spec.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "flashscope/core/dtype.hpp"
#include "flashscope/core/error.hpp"
#include "flashscope/sweep/spec_error.hpp"
#include "flashscope/sweep/spec_values.hpp"

namespace flashscope::sweep {
namespace {

std::int64_t line_of(const YAML::Node& node) { return node.Mark().line + 1; }

std::string add_gpu(SweepSpec& spec, SweepGpu gpu) {
    spec.gpu_specs.push_back(std::move(gpu.spec));
    spec.gpu_yaml.push_back(std::move(gpu.yaml));
    return gpu.name;
}

class SpecReader {
public:
    SpecReader(std::string origin) : m_origin(std::move(origin)) {}

    [[noreturn]] void fail(const YAML::Node& node, const std::string& key, const std::string& problem) const {
        throw SpecError(m_origin, line_of(node), key, problem);
    }

    // A scalar or a non-empty list of distinct scalars, each converted by `convert`.
    template <typename T, typename Convert>
    std::vector<T> values(const YAML::Node& node, const std::string& key, Convert convert) const {
        std::vector<YAML::Node> items;
        if (node.IsSequence()) {
            for (const YAML::Node& item : node) items.push_back(item);
            if (items.empty()) fail(node, key, "the list is empty; give at least one value");
        } else {
            items.push_back(node);
        }
        std::vector<T> out;
        // normalised value (spec_values.hpp) -> as written
        std::map<std::string, std::string> seen;
        for (const YAML::Node& item : items) {
            if (!item.IsScalar()) fail(item, key, "expected a value or a list of values");
            T value = convert(item, key);
            const std::string normalised = value_text(value);
            if (const auto [it, fresh] = seen.emplace(normalised, item.Scalar()); !fresh)
                fail(item, key, listed_twice(it->second, item.Scalar(), normalised));
            out.push_back(std::move(value));
        }
        return out;
    }

    std::int64_t whole_number(const YAML::Node& item, const std::string& key) const {
        const std::string& text = item.Scalar();
        std::size_t used = 0;
        std::int64_t v = 0;
        try {
            v = std::stoll(text, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used == 0 || used != text.size()) fail(item, key, "'" + text + "' is not a whole number");
        try {
            check_value(key, v);
        } catch (const ConfigError& e) {
            fail(item, key, "'" + text + "' " + e.limit());
        }
        return v;
    }

    bool boolean(const YAML::Node& item, const std::string& key) const {
        bool v = false;
        if (!YAML::convert<bool>::decode(item, v)) fail(item, key, "'" + item.Scalar() + "' is not true or false");
        return v;
    }

    template <typename Parse>
    auto named(const YAML::Node& item, const std::string& key, Parse parse) const {
        try {
            return parse(item.Scalar());
        } catch (const std::exception& e) {
            fail(item, key, e.what());
        }
    }

private:
    std::string m_origin;
};

void read_key(SweepSpec& spec, const SpecReader& r, const std::string& key, const YAML::Node& v) {
    const auto whole = [&](const YAML::Node& n, const std::string& k) { return r.whole_number(n, k); };
    const auto ints = [&] { return r.values<std::int64_t>(v, key, whole); };
    if (key == "name" || key == "description") {
        if (!v.IsScalar()) r.fail(v, key, "expected text");
        (key == "name" ? spec.name : spec.description) = v.Scalar();
    } else if (key == "gpu") {
        spec.gpus = r.values<std::string>(v, key, [&](const YAML::Node& n, const std::string& k) {
            return add_gpu(spec, r.named(n, k, [&](const std::string& s) {
                return load_sweep_gpu(s, spec.origin);
            }));
        });
    } else if (key == "model") {
        spec.models = r.values<sim::Model>(v, key, [&](const YAML::Node& n, const std::string& k) {
            return r.named(n, k, [](const std::string& s) { return sim::parse_model(s); });
        });
    } else if (key == "algo") {
        spec.algorithms = r.values<Algorithm>(v, key, [&](const YAML::Node& n, const std::string& k) {
            return r.named(n, k, [](const std::string& s) { return parse_algorithm(s); });
        });
    } else if (key == "pass") {
        spec.passes = r.values<Pass>(v, key, [&](const YAML::Node& n, const std::string& k) {
            return r.named(n, k, [](const std::string& s) { return parse_pass(s); });
        });
    } else if (key == "dtype") {
        spec.dtypes = r.values<DType>(v, key, [&](const YAML::Node& n, const std::string& k) {
            return r.named(n, k, [](const std::string& s) { return parse_dtype(s); });
        });
    } else if (key == "causal") {
        spec.causal = r.values<bool>(v, key, [&](const YAML::Node& n, const std::string& k) { return r.boolean(n, k); });
    } else if (key == "batch") {
        spec.batch = ints();
    } else if (key == "heads") {
        spec.heads = ints();
    } else if (key == "kv_heads") {
        spec.kv_heads = ints();
    } else if (key == "seq") {
        spec.seq_q = ints();
    } else if (key == "seq_q") {
        spec.seq_q = ints();
        spec.seq_k_follows_q = false;
    } else if (key == "seq_k") {
        spec.seq_k = ints();
        spec.seq_k_follows_q = false;
    } else if (key == "head_dim") {
        spec.head_dim = ints();
    } else if (key == "block_m") {
        spec.block_m = ints();
    } else if (key == "block_n") {
        spec.block_n = ints();
    } else if (key == "warps") {
        spec.warps = ints();
    } else if (key == "stages") {
        spec.stages = ints();
    } else {
        std::string known;
        for (std::string_view k : sweep_keys()) known += (known.empty() ? "" : ", ") + std::string(k);
        r.fail(v, key, "unknown key (known: " + known + ", name, description)");
    }
}

}  // namespace

const std::vector<std::string_view>& sweep_keys() {
    static const std::vector<std::string_view> keys = {
        "gpu",      "model", "algo",  "pass",  "dtype",    "causal",  "batch",   "heads", "kv_heads",
        "seq",      "seq_q", "seq_k", "head_dim", "block_m", "block_n", "warps", "stages"};
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
    const SpecReader reader(origin);
    std::set<std::string> seen;
    std::int64_t seq_line = 0;  // set when the file uses `seq`
    bool split_seq = false;
    for (const auto& entry : root) {
        const std::string key = entry.first.Scalar();
        if (!seen.insert(key).second) reader.fail(entry.first, key, "the key appears twice");
        if (key == "seq") seq_line = line_of(entry.first);
        if (key == "seq_q" || key == "seq_k") split_seq = true;
        read_key(spec, reader, key, entry.second);
    }
    if (seq_line > 0 && split_seq)
        throw SpecError(origin, seq_line, "seq", "give either seq (both lengths) or seq_q/seq_k, not both");
    if (spec.gpu_specs.empty()) add_gpu(spec, load_sweep_gpu(spec.gpus.front(), origin));
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
