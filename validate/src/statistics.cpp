#include "flashscope/validate/statistics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>

namespace flashscope::validate {

namespace {

constexpr double k_nan = std::numeric_limits<double>::quiet_NaN();

// Records that differ only in their tile share a group.
std::string group_key(const ValidationRecord& r) {
    ConfigKey key = r.key;
    key.tile = {};
    return to_string(key);
}

// A pass's time per tile: its kernels' times summed, per (problem, algorithm) group; a tile with a
// kernel whose time was not measured is left out.
RankAgreement pass_time_agreement(const std::vector<ValidationRecord>& records) {
    struct Times {
        double predicted = 0, measured = 0;
        bool complete = true;
    };
    std::map<std::string, std::map<std::string, Times>> groups;  // pass -> tile -> times
    for (const auto& r : records) {
        if (r.key.kernel == k_l2_dirty_at_end) continue;
        ConfigKey pass = r.key;
        pass.tile = {};
        pass.kernel.clear();
        Times& times = groups[to_string(pass)][to_string(r.key.tile)];
        if (!r.is_measured("time_s")) {
            times.complete = false;
            continue;
        }
        times.predicted += r.predicted.time_s;
        times.measured += r.measured.time_s;
    }
    std::vector<double> rhos;
    for (const auto& [pass, tiles] : groups) {
        std::vector<double> predicted, measured;
        for (const auto& [tile, times] : tiles) {
            if (!times.complete) continue;
            predicted.push_back(times.predicted);
            measured.push_back(times.measured);
        }
        if (predicted.size() < 3) continue;
        const double rho = spearman(predicted, measured);
        if (!std::isnan(rho)) rhos.push_back(rho);
    }
    if (rhos.empty()) return {k_pass_time, 0, 0, 0};
    return {k_pass_time, std::int64_t(rhos.size()),
            std::accumulate(rhos.begin(), rhos.end(), 0.0) / double(rhos.size()),
            *std::min_element(rhos.begin(), rhos.end())};
}

}  // namespace

double percentile(std::vector<double> values, double q) {
    if (values.empty()) return k_nan;
    std::sort(values.begin(), values.end());
    const double pos = q * double(values.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(pos));
    const auto hi = std::min(lo + 1, values.size() - 1);
    return values[lo] + (pos - double(lo)) * (values[hi] - values[lo]);
}

std::vector<double> ranks(const std::vector<double>& values) {
    std::vector<std::size_t> order(values.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](auto a, auto b) { return values[a] < values[b]; });
    std::vector<double> out(values.size());
    for (std::size_t i = 0; i < order.size();) {
        std::size_t j = i;
        while (j + 1 < order.size() && values[order[j + 1]] == values[order[i]]) ++j;
        const double mean_rank = 0.5 * double(i + j) + 1.0;
        for (std::size_t k = i; k <= j; ++k) out[order[k]] = mean_rank;
        i = j + 1;
    }
    return out;
}

double spearman(const std::vector<double>& a, const std::vector<double>& b) {
    if (a.size() != b.size() || a.size() < 2) return k_nan;
    const auto ra = ranks(a);
    const auto rb = ranks(b);
    const double n = double(a.size());
    const double mean = (n + 1) / 2;
    double cov = 0, va = 0, vb = 0;
    for (std::size_t i = 0; i < ra.size(); ++i) {
        cov += (ra[i] - mean) * (rb[i] - mean);
        va += (ra[i] - mean) * (ra[i] - mean);
        vb += (rb[i] - mean) * (rb[i] - mean);
    }
    if (va == 0 || vb == 0) return k_nan;  // one side constant: no order to agree with
    return cov / std::sqrt(va * vb);
}

std::vector<MetricErrorSummary> summarize_errors(const std::vector<ValidationRecord>& records) {
    std::vector<MetricErrorSummary> out;
    for (const auto& info : metric_table()) {
        const std::string name(info.name);
        std::vector<double> abs_errors, errors;
        for (const auto& r : records) {
            if (r.key.kernel == k_l2_dirty_at_end) continue;  // reported apart
            const double e = r.relative_error(name);
            if (std::isnan(e)) continue;
            errors.push_back(e);
            abs_errors.push_back(std::abs(e));
        }
        if (errors.empty()) continue;
        out.push_back({name, std::int64_t(errors.size()), percentile(abs_errors, 0.5),
                       percentile(abs_errors, 0.9), percentile(errors, 0.5)});
    }
    return out;
}

std::vector<RankAgreement> rank_agreement(const std::vector<ValidationRecord>& records) {
    static const char* const k_metrics[] = {"time_s", "hbm_read_bytes", "hbm_write_bytes",
                                            "l2_read_bytes", "sram_read_bytes"};
    std::map<std::string, std::vector<const ValidationRecord*>> groups;
    for (const auto& r : records)
        if (r.key.kernel != k_l2_dirty_at_end) groups[group_key(r)].push_back(&r);
    std::vector<RankAgreement> out;
    for (const char* metric : k_metrics) {
        const auto info = find_metric(metric);
        std::vector<double> rhos;
        for (const auto& [key, members] : groups) {
            std::vector<double> predicted, measured;
            for (const auto* r : members) {
                if (!r->is_measured(metric)) continue;
                predicted.push_back(info->get(r->predicted));
                measured.push_back(info->get(r->measured));
            }
            if (predicted.size() < 3) continue;
            const double rho = spearman(predicted, measured);
            if (!std::isnan(rho)) rhos.push_back(rho);
        }
        if (rhos.empty()) continue;
        out.push_back({metric, std::int64_t(rhos.size()),
                       std::accumulate(rhos.begin(), rhos.end(), 0.0) / double(rhos.size()),
                       *std::min_element(rhos.begin(), rhos.end())});
    }
    if (const auto pass = pass_time_agreement(records); pass.groups > 0) out.push_back(pass);
    return out;
}

}  // namespace flashscope::validate
