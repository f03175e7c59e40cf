#pragma once
// One row of a validation: a kernel of one configuration, its predicted and measured metrics.
// Plain data, so joining, statistics and files are host code tested without a GPU.
#include <cmath>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "flashscope/core/algorithm.hpp"
#include "flashscope/core/metrics.hpp"
#include "flashscope/core/problem.hpp"
#include "flashscope/core/tile.hpp"

namespace flashscope::validate {

// What a predicted and a measured kernel join on.
struct ConfigKey {
    AttentionProblem problem;
    Algorithm algorithm = Algorithm::flash2;
    TileConfig tile;
    std::string kernel;

    bool operator==(const ConfigKey&) const = default;
};
std::string to_string(const ConfigKey& key);  // stable text, also the join key

// Kernel name of the pseudo-record that compares the L2's dirty bytes at the end of a pass.
inline constexpr const char* k_l2_dirty_at_end = "l2_dirty_at_end";

struct PredictedKernel {
    ConfigKey key;
    Metrics metrics;
};

struct MeasuredKernel {
    ConfigKey key;
    Metrics metrics;
    std::set<std::string> fields;            // metric_table() names that were measured
    std::map<std::string, double> counters;  // raw counter values
    double sm_clock_hz = 0;
    double counter_time_s = 0;  // gpu__time_duration of the profiled range
};

struct ValidationRecord {
    ConfigKey key;
    Metrics predicted;
    Metrics measured;
    std::set<std::string> measured_fields;
    std::map<std::string, double> counters;
    double sm_clock_hz = 0;
    double counter_time_s = 0;

    bool is_measured(const std::string& field) const { return measured_fields.count(field) != 0; }
    // (predicted - measured) / measured for a measured field; NaN when not measured or when the
    // measured value is 0 and the prediction is not.
    double relative_error(const std::string& field) const;
};

double relative_error(double predicted, double measured);

}  // namespace flashscope::validate
