#pragma once
// Error of a kernel output against the float64 reference. NaN (an unwritten, poisoned element)
// or a mismatched infinity counts as an infinite error.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace flashscope::test {

inline double max_abs_error(const std::vector<float>& got, const std::vector<double>& want) {
    if (got.size() != want.size()) return std::numeric_limits<double>::infinity();
    double worst = 0;
    for (std::size_t i = 0; i < got.size(); ++i) {
        const double g = got[i], w = want[i];
        if (std::isnan(g)) return std::numeric_limits<double>::infinity();
        if (std::isinf(w) || std::isinf(g)) {
            if (g != w) return std::numeric_limits<double>::infinity();
            continue;
        }
        worst = std::max(worst, std::abs(g - w));
    }
    return worst;
}

inline double max_abs(const std::vector<double>& values) {
    double m = 0;
    for (double v : values)
        if (std::isfinite(v)) m = std::max(m, std::abs(v));
    return m;
}

}  // namespace flashscope::test
