#include "flashscope/core/algorithm.hpp"

#include <algorithm>
#include <deque>
#include <mutex>
#include <ostream>
#include <stdexcept>

#include "flashscope/core/error.hpp"

namespace flashscope {

namespace {

bool lists(const std::vector<Pass>& passes, Pass pass) {
    const auto has = [&](Pass p) {
        return std::find(passes.begin(), passes.end(), p) != passes.end();
    };
    return pass == Pass::fwdbwd ? has(Pass::fwd) && has(Pass::bwd) : has(pass);
}

bool valid_name(std::string_view name) {
    return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
}

void check_row(const AlgorithmDescriptor& row) {
    if (!valid_name(row.name))
        throw ConfigError("algo", row.name, "a name is lower-case letters, digits and '_'");
    for (const auto* passes : {&row.simulated_passes, &row.measured_passes})
        for (Pass p : *passes)
            if (p == Pass::fwdbwd)
                throw ConfigError("algo", row.name, "list passes as fwd and bwd, not fwdbwd");
    for (std::size_t i = 0; i < row.kernels.size(); ++i) {
        if (row.kernels[i].pass == Pass::fwdbwd)
            throw ConfigError("algo", row.name,
                              "kernel " + row.kernels[i].role + " needs fwd or bwd");
        for (std::size_t j = 0; j < i; ++j)
            if (row.kernels[j].role == row.kernels[i].role)
                throw ConfigError("algo", row.name,
                                  "kernel role " + row.kernels[i].role + " is listed twice");
    }
}

}  // namespace

// The rows, built-ins first. A deque keeps references to rows valid while rows are added.
class AlgorithmRegistry {
public:
    static AlgorithmRegistry& instance() {
        static AlgorithmRegistry registry;
        return registry;
    }

    std::size_t size() const {
        std::lock_guard lock(m_mutex);
        return m_rows.size();
    }

    const AlgorithmDescriptor& row(std::size_t index) const {
        std::lock_guard lock(m_mutex);
        if (index >= m_rows.size())
            throw std::out_of_range("algorithm index " + std::to_string(index) + " of " +
                                    std::to_string(m_rows.size()));
        return m_rows[index];
    }

    Algorithm add(AlgorithmDescriptor row) {
        check_row(row);
        std::lock_guard lock(m_mutex);
        for (const auto& r : m_rows)
            if (r.name == row.name) throw ConfigError("algo", row.name, "is already registered");
        if (m_rows.size() >= 0xffff)
            throw ConfigError("algo", row.name, "at most 65535 algorithms");
        m_rows.push_back(std::move(row));
        return Algorithm(static_cast<std::uint16_t>(m_rows.size() - 1));
    }

    std::vector<Algorithm> all() const {
        std::lock_guard lock(m_mutex);
        std::vector<Algorithm> out;
        for (std::size_t i = 0; i < m_rows.size(); ++i)
            out.push_back(Algorithm(static_cast<std::uint16_t>(i)));
        return out;
    }

private:
    AlgorithmRegistry() {
        for (auto& row : detail::builtin_algorithms()) add(std::move(row));
        // The named handles are fixed indices into the table.
        if (m_rows.size() < 3 || m_rows[Algorithm::naive.index()].name != "naive" ||
            m_rows[Algorithm::flash1.index()].name != "flash1" ||
            m_rows[Algorithm::flash2.index()].name != "flash2")
            throw std::logic_error(
                "algorithm_table.cpp: built-ins must start with naive, flash1, flash2");
    }

    mutable std::mutex m_mutex;
    std::deque<AlgorithmDescriptor> m_rows;
};

bool AlgorithmDescriptor::simulates(Pass pass) const {
    return lists(simulated_passes, pass);
}
bool AlgorithmDescriptor::measures(Pass pass) const {
    return lists(measured_passes, pass);
}

Algorithm Algorithm::at(std::size_t index) {
    AlgorithmRegistry::instance().row(index);  // throws past the end
    return Algorithm(static_cast<std::uint16_t>(index));
}

std::size_t algorithm_count() {
    return AlgorithmRegistry::instance().size();
}

std::vector<Algorithm> all_algorithms() {
    return AlgorithmRegistry::instance().all();
}

const AlgorithmDescriptor& descriptor(Algorithm algorithm) {
    return AlgorithmRegistry::instance().row(algorithm.index());
}

Algorithm register_algorithm(AlgorithmDescriptor row) {
    return AlgorithmRegistry::instance().add(std::move(row));
}

std::string_view to_string(Algorithm algorithm) {
    return descriptor(algorithm).name;
}

Algorithm parse_algorithm(std::string_view text) {
    std::string names;
    for (Algorithm a : all_algorithms()) {
        if (text == to_string(a)) return a;
        names += (names.empty() ? "" : ", ") + std::string(to_string(a));
    }
    throw ConfigError("algo", std::string(text), "must be one of " + names);
}

std::ostream& operator<<(std::ostream& out, Algorithm algorithm) {
    return out << to_string(algorithm);
}

std::string kernel_name(Algorithm algorithm, std::string_view role) {
    const AlgorithmDescriptor& row = descriptor(algorithm);
    for (const auto& k : row.kernels)
        if (k.role == role) return row.name + "_" + k.role;
    throw std::logic_error("algorithm " + row.name + " lists no kernel role '" + std::string(role) +
                           "'");
}

std::vector<std::string> kernel_names(Algorithm algorithm, Pass pass) {
    const AlgorithmDescriptor& row = descriptor(algorithm);
    std::vector<std::string> out;
    for (Pass p : {Pass::fwd, Pass::bwd}) {
        if (pass != Pass::fwdbwd && pass != p) continue;
        for (const auto& k : row.kernels)
            if (k.pass == p) out.push_back(row.name + "_" + k.role);
    }
    return out;
}

}  // namespace flashscope
