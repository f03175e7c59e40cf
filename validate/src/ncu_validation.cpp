#include "flashscope/validate/ncu_validation.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <set>
#include <sstream>

#include "flashscope/core/error.hpp"
#include "flashscope/sim/simulate.hpp"
#include "flashscope/validate/device_preset.hpp"
#include "flashscope/validate/join.hpp"
#include "flashscope/validate/ncu_metrics.hpp"
#include "flashscope/validate/statistics.hpp"

namespace flashscope::validate {
namespace {

std::string utc_now() {
    const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::string device_name(const NcuReport& report) {
    for (const auto& k : report.kernels) {
        const auto it = k.texts.find(std::string(ncu_device_name_metric));
        if (it != k.texts.end()) return it->second;
    }
    return {};
}

std::string choose_gpu(const NcuValidationOptions& o, const std::string& device) {
    if (!o.gpu.empty()) return o.gpu;
    if (device.empty())
        throw ConfigError("gpu", "(not in the report)",
                          "the report lacks device__attribute_display_name; pass --gpu with the "
                          "simulator preset");
    if (auto preset = preset_for_device(device)) return *preset;
    std::string names;
    for (const auto& n : sim::gpu_preset_names()) names += (names.empty() ? "" : ", ") + n;
    throw ConfigError(
        "gpu", device,
        "no simulator preset matches the report's device; pass --gpu (" + names + ")");
}

std::string tile_text(const TileConfig& t) {
    return std::to_string(t.block_m) + "x" + std::to_string(t.block_n) + " w" +
           std::to_string(t.warps) + " s" + std::to_string(t.stages);
}

TileConfig overridden(TileConfig from_name, const TileConfig& given) {
    if (given.block_m) from_name.block_m = given.block_m;
    if (given.block_n) from_name.block_n = given.block_n;
    if (given.warps) from_name.warps = given.warps;
    if (given.stages) from_name.stages = given.stages;
    return from_name;
}

// The simulations the launches need, one per (algorithm, tile, pass), made once.
class Simulations {
public:
    Simulations(const sim::GpuSpec& gpu, const NcuValidationOptions& o)
        : m_gpu(gpu), m_options(o) {}

    const sim::Result& get(Algorithm algorithm, const TileConfig& tile, Pass pass,
                           const NcuKernel& launch) {
        const std::string key = std::string(to_string(algorithm)) + " " + tile_text(tile) + " " +
                                std::string(to_string(pass));
        if (const auto it = m_index.find(key); it != m_index.end()) return m_results[it->second];
        sim::SimulationRequest req;
        req.gpu = m_gpu;
        req.problem = m_options.problem;
        req.problem.pass = pass;
        req.algorithm = algorithm;
        req.tile = tile;
        req.model = m_options.model;
        req.options.naive_eager = m_options.naive_eager;
        req.timeline = m_options.timelines && m_options.model == sim::Model::cycle;
        try {
            m_results.push_back(sim::simulate(req));
        } catch (const ConfigError& e) {
            throw ConfigError(e.field(), e.value(),
                              e.limit() + " (simulating " + key + " for launch ID " +
                                  std::to_string(launch.id) + ", " +
                                  short_kernel_name(launch.name) +
                                  "; set the tile with --block-m/--block-n/--warps)");
        }
        m_index[key] = m_results.size() - 1;
        return m_results.back();
    }
    std::vector<sim::Result> take() { return std::move(m_results); }

private:
    const sim::GpuSpec& m_gpu;
    const NcuValidationOptions& m_options;
    std::map<std::string, std::size_t> m_index;
    std::vector<sim::Result>
        m_results;  // deque-like use: references are taken only until the next get()
};

std::vector<Pass> passes_of(Pass pass) {
    return pass == Pass::fwdbwd ? std::vector<Pass>{Pass::fwd, Pass::bwd} : std::vector<Pass>{pass};
}

std::string eager_hint(const std::string& role) {
    return role == "naive_scale" || role == "naive_mask" || role == "naive_dropout"
               ? " (the simulator runs it with --naive-eager)"
               : "";
}

}  // namespace

std::string_view to_string(LaunchFate fate) {
    switch (fate) {
        case LaunchFate::compared:
            return "compared";
        case LaunchFate::ignored:
            return "ignored";
        case LaunchFate::other_algorithm:
            return "other algorithm";
        case LaunchFate::no_counterpart:
            return "no counterpart";
        case LaunchFate::unmatched:
            return "unmatched";
    }
    return "unmatched";
}

NcuValidation validate_ncu_report(const NcuReport& report, const KernelRules& rules,
                                  const NcuValidationOptions& options) {
    NcuValidation out;
    const std::string device = device_name(report);
    const std::string gpu_name = choose_gpu(options, device);
    const sim::GpuSpec gpu = sim::resolve_gpu(gpu_name);
    out.launch_interval_s = gpu.kernel_launch_s;

    // Rules first: which launches belong to which algorithm and role.
    KernelMatcher matcher(rules, options.problem.pass);
    std::vector<KernelMatch> matches;
    std::set<Algorithm> matched_algorithms;
    for (const auto& k : report.kernels) {
        matches.push_back(matcher.match(k.name));
        const KernelMatch& m = matches.back();
        if (m.rule && m.rule->ignore_reason.empty()) matched_algorithms.insert(m.rule->algorithm);
    }
    const std::set<Algorithm> compared =
        options.algorithms.empty()
            ? matched_algorithms
            : std::set<Algorithm>(options.algorithms.begin(), options.algorithms.end());

    Simulations simulations(gpu, options);
    std::vector<std::pair<std::size_t, std::string>> pending;  // launch index -> simulation key
    std::vector<MeasuredKernel> measured;
    std::vector<PredictedKernel> predicted;
    std::set<std::string> predicted_keys;
    std::map<std::string, std::vector<std::string>> missing;
    for (std::size_t i = 0; i < report.kernels.size(); ++i) {
        const NcuKernel& k = report.kernels[i];
        const KernelMatch& m = matches[i];
        NcuLaunch launch{&k, LaunchFate::unmatched, m.rule ? m.rule->name : "", ""};
        if (!m.rule) {
            launch.note = "no rule matches (add one with --kernel-rules)";
        } else if (!m.rule->ignore_reason.empty()) {
            launch.fate = LaunchFate::ignored;
            launch.note = m.rule->ignore_reason;
        } else if (!compared.count(m.rule->algorithm)) {
            launch.fate = LaunchFate::other_algorithm;
            launch.note = std::string(to_string(m.rule->algorithm)) + " (not among --algo)";
        } else if (!m.role) {
            launch.fate = LaunchFate::no_counterpart;
            launch.note = m.no_role;
        } else {
            const TileConfig tile = overridden(m.tile, options.tile);
            const sim::Result* found_in = nullptr;
            const sim::KernelResult* found = nullptr;
            for (const Pass pass : passes_of(options.problem.pass)) {
                const sim::Result& r = simulations.get(m.rule->algorithm, tile, pass, k);
                for (const auto& sk : r.kernels)
                    if (sk.name == *m.role) found_in = &r, found = &sk;
                if (found) break;
            }
            if (!found) {
                launch.fate = LaunchFate::no_counterpart;
                launch.note = "the simulation of " + std::string(to_string(m.rule->algorithm)) +
                              " " + std::string(to_string(options.problem.pass)) +
                              " has no kernel " + *m.role + eager_hint(*m.role);
            } else {
                launch.fate = LaunchFate::compared;
                launch.note = std::string(to_string(m.rule->algorithm)) + " " + *m.role +
                              " (tile " + tile_text(found_in->tile) + ")";
                const NcuMeasurement measurement = measure_ncu_kernel(k, report.origin);
                for (const auto& [field, metrics] : measurement.missing) missing[field] = metrics;
                MeasuredKernel mk;
                mk.key = {found_in->problem, found_in->algorithm, found_in->tile, *m.role};
                mk.metrics = measurement.metrics;
                mk.fields = measurement.fields;
                mk.counters = measurement.counters;
                mk.counters["ncu_launch_id"] = double(k.id);
                mk.sm_clock_hz = measurement.sm_clock_hz;
                mk.counter_time_s = measurement.metrics.time_s;
                measured.push_back(std::move(mk));
                // Every kernel of the simulation, once: those not measured are listed.
                for (const auto& sk : found_in->kernels) {
                    PredictedKernel pk{
                        {found_in->problem, found_in->algorithm, found_in->tile, sk.name},
                        sk.metrics};
                    // ncu's duration leaves out the launch interval the model adds to every kernel.
                    pk.metrics.time_s = std::max(0.0, pk.metrics.time_s - gpu.kernel_launch_s);
                    pk.metrics.cycles = pk.metrics.time_s * gpu.sm_clock_hz;
                    if (predicted_keys.insert(to_string(pk.key)).second)
                        predicted.push_back(std::move(pk));
                }
            }
        }
        out.launches.push_back(std::move(launch));
    }

    JoinResult joined = join(predicted, measured);
    for (const auto& key : joined.predicted_only)
        out.simulated_only.push_back(std::string(to_string(key.algorithm)) + " " +
                                     std::string(to_string(key.problem.pass)) + " " + key.kernel +
                                     " (tile " + tile_text(key.tile) + ")");
    for (const auto& [field, metrics] : missing) {
        std::string text = field + " (the report lacks";
        for (const auto& m : metrics) text += " " + m;
        out.not_measured.push_back(text + ")");
    }

    ValidationRun& run = out.run;
    run.device = device.empty() ? "unknown device" : device;
    const std::string cc = report.kernels.empty() ? "" : report.kernels.front().compute_capability;
    run.chip = cc.empty()
                   ? "unknown"
                   : "sm_" + cc.substr(0, cc.find('.')) +
                         (cc.find('.') == std::string::npos ? "" : cc.substr(cc.find('.') + 1));
    run.gpu_preset = gpu.name;
    run.model = std::string(sim::to_string(options.model));
    run.l2_protocol = "ncu";
    run.suite = "ncu report " + report.origin;
    run.date = utc_now();
    run.command = options.command;
    run.records = std::move(joined.records);
    std::vector<double> clocks;
    for (const auto& r : run.records)
        if (r.sm_clock_hz > 0) clocks.push_back(r.sm_clock_hz);
    run.sm_clock_hz = clocks.empty() ? 0 : percentile(clocks, 0.5);
    run.errors = summarize_errors(run.records);
    run.ranks = rank_agreement(run.records);
    out.simulations = simulations.take();
    return out;
}

std::string format_ncu_launches(const NcuValidation& v, const NcuReport& report) {
    std::ostringstream out;
    std::map<LaunchFate, int> counts;
    for (const auto& l : v.launches) ++counts[l.fate];
    out << "ncu report " << report.origin << " ("
        << (report.page == NcuPage::raw ? "raw" : "details") << " page): " << v.launches.size()
        << (v.launches.size() == 1 ? " launch; " : " launches; ") << counts[LaunchFate::compared]
        << " compared";
    for (const LaunchFate f : {LaunchFate::ignored, LaunchFate::other_algorithm,
                               LaunchFate::no_counterpart, LaunchFate::unmatched})
        if (counts[f]) out << ", " << counts[f] << " " << to_string(f);
    out << "\n";
    char line[512];
    std::snprintf(line, sizeof line, "%5s  %-44s %-16s %s\n", "ID", "kernel", "fate",
                  "rule: compared with / why not");
    out << line;
    for (const auto& l : v.launches) {
        std::string name = short_kernel_name(l.kernel->name);
        if (name.size() > 44) name = name.substr(0, 41) + "...";
        const std::string rule = l.rule.empty() ? "" : l.rule + ": ";
        std::snprintf(line, sizeof line, "%5lld  %-44s %-16s %s\n",
                      static_cast<long long>(l.kernel->id), name.c_str(),
                      std::string(to_string(l.fate)).c_str(), (rule + l.note).c_str());
        out << line;
    }
    for (const auto& k : v.simulated_only) out << "simulated, not in the report: " << k << "\n";
    for (const auto& f : v.not_measured) out << "not measured: " << f << "\n";
    if (v.launch_interval_s > 0) {
        std::snprintf(
            line, sizeof line,
            "predicted times leave out the model's launch interval (%.2f us per kernel), as ncu's "
            "gpu__time_duration does\n",
            v.launch_interval_s * 1e6);
        out << line;
    }
    return out.str();
}

}  // namespace flashscope::validate
