#pragma once
// Error statistics of a validation: per metric the median and 90th percentile of |relative error|,
// and across tile sizes how well the predicted order matches the measured order (Spearman).
#include <cstdint>
#include <string>
#include <vector>

#include "flashscope/validate/record.hpp"

namespace flashscope::validate {

struct MetricErrorSummary {
    std::string metric;
    std::int64_t count = 0;    // records where the metric was measured (and non-zero)
    double median_abs = 0;     // median |relative error|
    double p90_abs = 0;        // 90th percentile |relative error| (linear interpolation)
    double median_signed = 0;  // > 0: the model predicts more than was measured
};

struct RankAgreement {
    std::string metric;
    std::int64_t groups = 0;  // (problem, algorithm, kernel) groups with >= 3 tiles (per pass:
                              // (problem, algorithm))
    double mean_rho = 0;      // mean Spearman rho over the groups
    double min_rho = 0;
};

double percentile(std::vector<double> values, double q);  // q in [0, 1]; NaN when empty
double spearman(const std::vector<double>& a, const std::vector<double>& b);  // ties: mean ranks
std::vector<double> ranks(const std::vector<double>& values);  // 1-based, ties averaged

// For every metric of metric_table() measured in at least one kernel record (the l2_dirty_at_end
// pseudo-records are left out of both summaries).
std::vector<MetricErrorSummary> summarize_errors(const std::vector<ValidationRecord>& records);
// Metrics compared across tiles: time_s, hbm_read_bytes, hbm_write_bytes, l2_read_bytes,
// sram_read_bytes, per kernel; and "time_s per pass", the time of a pass's kernels summed per
// tile (what choosing a tile changes: a pass's row kernels do not depend on it, and their
// near-equal predictions would rank at random), in groups of (problem, algorithm) whose every
// kernel was timed.
inline constexpr const char* k_pass_time = "time_s per pass";
std::vector<RankAgreement> rank_agreement(const std::vector<ValidationRecord>& records);

}  // namespace flashscope::validate
