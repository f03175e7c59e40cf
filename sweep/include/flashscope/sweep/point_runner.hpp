#pragma once
// Simulates one point and formats its row. Never throws for a point the simulator rejects: a
// ConfigError becomes an "infeasible" row with its reason, any other exception an "error" row.
#include <cstdint>
#include <string>

#include "flashscope/sim/gpu_spec.hpp"
#include "flashscope/sweep/row_format.hpp"
#include "flashscope/sweep/sweep_point.hpp"

namespace flashscope::sweep {

struct PointRow {
    std::string line;  // with its '\n'
    bool ok = true;    // false for infeasible and error rows
};

PointRow run_point(const SweepPoint& point, const sim::GpuSpec& gpu, const RowContext& context);

}  // namespace flashscope::sweep
