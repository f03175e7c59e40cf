#include "flashscope/validate/kernel_rules.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>

#include "flashscope/core/error.hpp"

namespace flashscope::validate {
namespace {

std::regex compile(const std::string& pattern, const std::string& where) {
    try {
        return std::regex(pattern, std::regex::ECMAScript | std::regex::optimize);
    } catch (const std::regex_error& e) {
        throw ConfigError(where, pattern, std::string("not a regular expression: ") + e.what());
    }
}

std::vector<std::optional<std::string>> role_list(const YAML::Node& node,
                                                  const std::string& where) {
    if (!node.IsSequence() || node.size() == 0)
        throw ConfigError(where, "", "must be a non-empty list of roles");
    std::vector<std::optional<std::string>> roles;
    for (const auto& r : node) {
        if (r.IsNull())
            roles.emplace_back();
        else
            roles.emplace_back(r.as<std::string>());
    }
    return roles;
}

int group(const YAML::Node& tile, const char* key, const std::string& where, unsigned groups) {
    if (!tile[key]) return 0;
    const int g = tile[key].as<int>();
    if (g < 1 || unsigned(g) > groups)
        throw ConfigError(where + ".tile." + key, std::to_string(g),
                          "must be a capture group of 'from' (1.." + std::to_string(groups) + ")");
    return g;
}

KernelRule parse_rule(const YAML::Node& n, const std::string& origin, std::size_t index) {
    KernelRule rule;
    rule.origin = origin + ": rule " + std::to_string(index + 1);
    const std::string where = rule.origin;
    static const char* const k_keys[] = {"name",  "kernel", "algo",  "role",
                                         "roles", "tile",   "ignore"};
    for (const auto& kv : n) {
        const auto key = kv.first.as<std::string>();
        if (std::find(std::begin(k_keys), std::end(k_keys), key) == std::end(k_keys))
            throw ConfigError(where, key,
                              "unknown key (name, kernel, algo, role, roles, tile, ignore)");
    }
    rule.name = n["name"] ? n["name"].as<std::string>() : "rule " + std::to_string(index + 1);
    if (!n["kernel"])
        throw ConfigError(where + ".kernel", "",
                          "missing: a regular expression for the kernel name");
    rule.pattern = n["kernel"].as<std::string>();
    rule.regex = compile(rule.pattern, where + ".kernel");
    if (n["ignore"]) {
        rule.ignore_reason = n["ignore"].as<std::string>();
        if (rule.ignore_reason.empty()) throw ConfigError(where + ".ignore", "", "give the reason");
        if (n["algo"] || n["role"] || n["roles"])
            throw ConfigError(where, rule.name, "an ignore rule has no algo or role");
        return rule;
    }
    if (!n["algo"]) throw ConfigError(where + ".algo", "", "missing (or give 'ignore: reason')");
    rule.algorithm = parse_algorithm(n["algo"].as<std::string>());
    if (n["role"].IsDefined() == n["roles"].IsDefined())
        throw ConfigError(where, rule.name, "needs either 'role' or 'roles'");
    if (n["role"]) {
        const std::optional<std::string> role =
            n["role"].IsNull() ? std::nullopt
                               : std::optional<std::string>(n["role"].as<std::string>());
        rule.roles[Pass::fwd] = {role};
        rule.roles[Pass::bwd] = {role};
    } else {
        for (const auto& kv : n["roles"]) {
            const auto pass_name = kv.first.as<std::string>();
            const Pass pass = parse_pass(pass_name);
            if (pass == Pass::fwdbwd)
                throw ConfigError(where + ".roles", pass_name, "give fwd and bwd lists");
            rule.roles[pass] = role_list(kv.second, where + ".roles." + pass_name);
        }
        if (rule.roles.empty()) throw ConfigError(where + ".roles", "", "needs a fwd or bwd list");
    }
    const std::vector<std::string> names = kernel_names(rule.algorithm, Pass::fwdbwd);
    for (const auto& [pass, roles] : rule.roles)
        for (const auto& role : roles)
            if (role && std::find(names.begin(), names.end(), *role) == names.end()) {
                std::string known;
                for (const auto& k : names) known += (known.empty() ? "" : ", ") + k;
                throw ConfigError(where + ".role", *role,
                                  "not a kernel of " + std::string(to_string(rule.algorithm)) +
                                      " (" + known + ")");
            }
    if (const auto tile = n["tile"]) {
        if (!tile["from"])
            throw ConfigError(where + ".tile.from", "",
                              "missing: a regular expression with groups");
        TileCapture t;
        t.regex = compile(tile["from"].as<std::string>(), where + ".tile.from");
        const unsigned groups = static_cast<unsigned>(t.regex.mark_count());
        t.block_m = group(tile, "block_m", where, groups);
        t.block_n = group(tile, "block_n", where, groups);
        t.warps = group(tile, "warps", where, groups);
        t.stages = group(tile, "stages", where, groups);
        rule.tile = std::move(t);
    }
    return rule;
}

std::int64_t captured(const std::smatch& m, int group, const KernelRule& rule) {
    if (group == 0) return 0;
    const std::string text = m[static_cast<std::size_t>(group)].str();
    std::int64_t value = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value <= 0)
        throw ConfigError(
            rule.origin + ".tile", text,
            "capture group " + std::to_string(group) + " is not a positive whole number");
    return value;
}

}  // namespace

KernelRules parse_kernel_rules(const std::string& yaml_text, const std::string& origin) {
    YAML::Node root;
    try {
        root = YAML::Load(yaml_text);
    } catch (const YAML::Exception& e) {
        throw ConfigError("kernel rules", origin, e.what());
    }
    if (!root["rules"] || !root["rules"].IsSequence())
        throw ConfigError("kernel rules", origin, "needs a 'rules:' list");
    KernelRules rules;
    try {
        for (std::size_t i = 0; i < root["rules"].size(); ++i)
            rules.push_back(parse_rule(root["rules"][i], origin, i));
    } catch (const YAML::Exception& e) {
        throw ConfigError("kernel rules", origin, e.what());
    }
    return rules;
}

KernelRules load_kernel_rules(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw ConfigError("kernel-rules", path, "cannot open the file");
    std::ostringstream text;
    text << in.rdbuf();
    return parse_kernel_rules(text.str(), path);
}

KernelRules kernel_rules(const std::string& user_path) {
    KernelRules rules = user_path.empty() ? KernelRules{} : load_kernel_rules(user_path);
    for (auto& r : parse_kernel_rules(shipped_kernel_rules_yaml(), "configs/ncu/kernels.yaml"))
        rules.push_back(std::move(r));
    return rules;
}

KernelMatcher::KernelMatcher(const KernelRules& rules, Pass pass) : m_rules(rules), m_pass(pass) {}

KernelMatch KernelMatcher::match(const std::string& kernel_name) {
    KernelMatch out;
    for (const KernelRule& rule : m_rules) {
        if (!std::regex_search(kernel_name, rule.regex)) continue;
        out.rule = &rule;
        if (!rule.ignore_reason.empty()) return out;
        std::vector<std::optional<std::string>> roles;
        for (const Pass p : {Pass::fwd, Pass::bwd}) {
            if (m_pass != Pass::fwdbwd && m_pass != p) continue;
            const auto it = rule.roles.find(p);
            if (it != rule.roles.end())
                roles.insert(roles.end(), it->second.begin(), it->second.end());
        }
        if (roles.empty()) {
            out.no_role =
                "rule '" + rule.name + "' has no role for pass " + std::string(to_string(m_pass));
        } else {
            std::size_t& next = m_next[&rule];
            out.role = roles[next % roles.size()];
            ++next;
            if (!out.role) out.no_role = "no simulated counterpart (rule '" + rule.name + "')";
        }
        std::smatch m;
        if (rule.tile && std::regex_search(kernel_name, m, rule.tile->regex)) {
            out.tile.block_m = captured(m, rule.tile->block_m, rule);
            out.tile.block_n = captured(m, rule.tile->block_n, rule);
            out.tile.warps = captured(m, rule.tile->warps, rule);
            out.tile.stages = captured(m, rule.tile->stages, rule);
        }
        return out;
    }
    return out;
}

}  // namespace flashscope::validate
