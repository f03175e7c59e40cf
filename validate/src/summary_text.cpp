#include "flashscope/validate/summary_text.hpp"

#include <cmath>
#include <cstdio>
#include <set>
#include <sstream>

namespace flashscope::validate {

namespace {

std::string percent(double v) {
    if (std::isnan(v)) return "-";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f%%", 100.0 * v);
    return buf;
}

std::string fixed(double v, const char* format) {
    if (std::isnan(v)) return "-";
    char buf[32];
    std::snprintf(buf, sizeof buf, format, v);
    return buf;
}

}  // namespace

std::string format_summary(const ValidationRun& run) {
    std::ostringstream out;
    std::set<std::string> configs;
    for (const auto& r : run.records) {
        ConfigKey k = r.key;
        k.kernel.clear();
        configs.insert(to_string(k));
    }
    out << "validation: " << run.records.size() << " kernel records from " << configs.size()
        << " configurations on " << run.device << " (" << run.chip << ", SM clock "
        << fixed(run.sm_clock_hz / 1e9, "%.2f") << " GHz), predicted with " << run.gpu_preset
        << " / " << run.model << " model, L2 " << run.l2_protocol << ", " << run.passes
        << " profiler passes per configuration\n";
    out << "relative error = (predicted - measured) / measured\n";
    char line[160];
    std::snprintf(line, sizeof line, "%-18s %7s %12s %12s %14s\n", "metric", "records",
                  "median |err|", "p90 |err|", "median err");
    out << line;
    for (const auto& e : run.errors) {
        std::snprintf(line, sizeof line, "%-18s %7lld %12s %12s %14s\n", e.metric.c_str(),
                      static_cast<long long>(e.count), percent(e.median_abs).c_str(),
                      percent(e.p90_abs).c_str(), percent(e.median_signed).c_str());
        out << line;
    }
    std::vector<double> dirty_errors;
    for (const auto& r : run.records)
        if (r.key.kernel == k_l2_dirty_at_end) {
            const double e = r.relative_error("hbm_write_bytes");  // NaN when nothing was measured
            if (!std::isnan(e)) dirty_errors.push_back(std::abs(e));
        }
    if (!dirty_errors.empty())
        out << "L2 dirty at the end of a pass (written back after the last kernel): median |err| "
            << percent(percentile(dirty_errors, 0.5)) << ", p90 |err| "
            << percent(percentile(dirty_errors, 0.9)) << " over " << dirty_errors.size()
            << " configurations\n";
    if (!run.ranks.empty()) {
        out << "rank agreement across tile sizes (Spearman rho, predicted vs measured)\n";
        std::snprintf(line, sizeof line, "%-18s %7s %12s %12s\n", "metric", "groups", "mean rho",
                      "min rho");
        out << line;
        for (const auto& r : run.ranks) {
            std::snprintf(line, sizeof line, "%-18s %7lld %12s %12s\n", r.metric.c_str(),
                          static_cast<long long>(r.groups), fixed(r.mean_rho, "%.2f").c_str(),
                          fixed(r.min_rho, "%.2f").c_str());
            out << line;
        }
    } else {
        out << "rank agreement: no group with 3 or more tiles\n";
    }
    return out.str();
}

}  // namespace flashscope::validate
