#pragma once
// Internal: set a Metrics field by its metric_table() name (the table only reads).
#include <string_view>

#include "flashscope/core/metrics.hpp"

namespace flashscope::validate::detail {

bool set_metric(Metrics& metrics, std::string_view name,
                double value);  // false: unknown or derived

}  // namespace flashscope::validate::detail
