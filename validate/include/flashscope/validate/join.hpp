#pragma once
// Joins predicted and measured kernels on (problem, algorithm, tile, kernel name).
#include <string>
#include <vector>

#include "flashscope/validate/record.hpp"

namespace flashscope::validate {

struct JoinResult {
    std::vector<ValidationRecord> records;  // in measured order
    std::vector<ConfigKey> measured_only;   // measured kernels the simulator did not name
    std::vector<ConfigKey> predicted_only;  // predicted kernels that were not measured
};

JoinResult join(const std::vector<PredictedKernel>& predicted,
                const std::vector<MeasuredKernel>& measured);

}  // namespace flashscope::validate
