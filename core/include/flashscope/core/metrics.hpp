#pragma once
// The result fields shared by the simulator, the profiler and the GUI. A predicted and a
// measured record join on the configuration and compare field by field through this table.
#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

namespace flashscope {

struct Metrics {
    std::int64_t hbm_read_bytes = 0;
    std::int64_t hbm_write_bytes = 0;
    std::int64_t l2_read_bytes = 0;   // SM -> L2 requests
    std::int64_t l2_write_bytes = 0;  // SM -> L2 stores and reductions
    std::int64_t sram_read_bytes = 0;
    std::int64_t sram_write_bytes = 0;
    double flops_matmul = 0;   // tensor-core FLOP (2 per multiply-add)
    double flops_softmax = 0;  // elementwise FLOP of softmax and its gradient (exp counted as 1)
    std::int64_t hbm_footprint_bytes = 0;
    double time_s = 0;
    double cycles = 0;  // SM cycles

    double flops() const { return flops_matmul + flops_softmax; }
    // Sums traffic, flops and time; footprint is the max. Throws CountOverflow past 2^63 - 1 bytes.
    Metrics& operator+=(const Metrics& other);
};

enum class MetricUnit { bytes, flop, seconds, cycles };
std::string_view to_string(MetricUnit unit);

struct MetricInfo {
    std::string_view name;  // the result field name
    MetricUnit unit;
    double (*get)(const Metrics&);
};

// Every comparable field in a fixed order ("flops" is the sum of both flop fields).
const std::array<MetricInfo, 12>& metric_table();
std::optional<MetricInfo> find_metric(std::string_view name);

}  // namespace flashscope
