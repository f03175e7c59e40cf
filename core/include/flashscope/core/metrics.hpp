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

    // Executed warp instructions by class and local-memory (register spill) traffic. Optional:
    // measured by the profiler's `instructions` counter group (inst_tensor also by `tensor`),
    // predicted only where the model states an instruction mix; empty otherwise.
    std::optional<double> inst_tensor;        // mma.sync (HMMA) instructions
    std::optional<double> inst_fp32;          // FMA pipe: FFMA, FMUL, FADD
    std::optional<double> inst_alu;           // ALU pipe: integer, compare, min/max, logic
    std::optional<double> inst_xu;            // XU pipe: MUFU (ex2, rcp), conversions
    std::optional<double> inst_lsu;           // LSU pipe: loads, stores, shuffles, ldmatrix
    std::optional<double> inst_ldsm;          // ldmatrix
    std::optional<double> inst_shuffle;       // shfl.sync
    std::optional<double> inst_total;         // every executed warp instruction
    std::optional<double> local_load_bytes;   // spill reloads (L1 local-memory loads)
    std::optional<double> local_store_bytes;  // spill stores

    double flops() const { return flops_matmul + flops_softmax; }
    // Sums traffic, flops and time; footprint is the max. Throws CountOverflow past 2^63 - 1 bytes.
    Metrics& operator+=(const Metrics& other);
};

enum class MetricUnit { bytes, flop, seconds, cycles, instructions };
std::string_view to_string(MetricUnit unit);

struct MetricInfo {
    std::string_view name;  // the result field name
    MetricUnit unit;
    double (*get)(const Metrics&);  // NaN for an optional field that is empty
    bool optional = false;          // may be empty (the instruction fields)
};

// Every comparable field in a fixed order ("flops" is the sum of both flop fields), the
// optional instruction fields last.
const std::array<MetricInfo, 22>& metric_table();
// The optional field `name` of m, for writing it; false for an unknown or mandatory name.
bool set_optional_metric(Metrics& m, std::string_view name, std::optional<double> value);
std::optional<MetricInfo> find_metric(std::string_view name);

}  // namespace flashscope
