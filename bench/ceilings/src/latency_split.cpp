#include "flashscope/ceilings/latency_split.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>

namespace flashscope::ceilings {

namespace {

// Sorted, the top 1 % left out.
std::vector<double> trimmed(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const auto keep = std::max<std::size_t>(2, v.size() - v.size() / 100);
    v.resize(std::min(keep, v.size()));
    return v;
}

double median_of_sorted(const std::vector<double>& v, std::size_t begin, std::size_t end) {
    const std::size_t n = end - begin, mid = begin + n / 2;
    return n % 2 ? v[mid] : 0.5 * (v[mid - 1] + v[mid]);
}

}  // namespace

LatencySplit split_latencies(std::vector<double> cycles) {
    if (cycles.size() < 2) throw std::invalid_argument("split_latencies: needs 2 or more values");
    const std::vector<double> v = trimmed(std::move(cycles));
    const std::size_t n = v.size();
    // Prefix sums give each split's within-group squared deviation in O(1).
    std::vector<double> sum(n + 1, 0), sq(n + 1, 0);
    for (std::size_t i = 0; i < n; ++i) {
        sum[i + 1] = sum[i] + v[i];
        sq[i + 1] = sq[i] + v[i] * v[i];
    }
    const auto spread = [&](std::size_t b, std::size_t e) {
        const double s = sum[e] - sum[b], k = double(e - b);
        return (sq[e] - sq[b]) - s * s / k;
    };
    std::size_t best = 0;  // 0: one group
    double best_cost = spread(0, n);
    for (std::size_t k = 1; k < n; ++k) {
        if (v[k] == v[k - 1]) continue;  // a split between equal values separates nothing
        const double cost = spread(0, k) + spread(k, n);
        if (cost < best_cost) {
            best_cost = cost;
            best = k;
        }
    }
    LatencySplit out;
    if (best == 0) {
        out.near_median = out.far_median = median_of_sorted(v, 0, n);
        out.threshold = v.back();
        return out;
    }
    out.near_median = median_of_sorted(v, 0, best);
    out.far_median = median_of_sorted(v, best, n);
    out.far_fraction = double(n - best) / double(n);
    out.threshold = 0.5 * (v[best - 1] + v[best]);
    return out;
}

std::string latency_histogram(std::vector<double> cycles, double bin) {
    if (cycles.empty() || !(bin > 0)) return {};
    const std::vector<double> v = trimmed(std::move(cycles));
    std::map<long long, int> counts;
    for (const double c : v) ++counts[static_cast<long long>(std::floor(c / bin))];
    std::string out;
    for (const auto& [b, count] : counts) {
        if (!out.empty()) out += ' ';
        const auto lo = static_cast<long long>(double(b) * bin);
        const auto hi = static_cast<long long>(double(b + 1) * bin) - 1;
        out += std::to_string(lo) + "-" + std::to_string(hi) + ":" + std::to_string(count);
    }
    return out;
}

}  // namespace flashscope::ceilings
