#include "flashscope/profiler/counter_conversion.hpp"

#include <algorithm>
#include <cmath>
#include <string_view>
#include <utility>

#include "flashscope/profiler/counter_names.hpp"

namespace flashscope::profiler {

namespace {

// FLOP of one HMMA.16816 warp instruction (m16n8k16, fp16/bf16 in, fp32 accumulate): 2*16*8*16.
constexpr double k_hmma_16816_flop = 4096.0;
// FLOP per counted tensor "op" of sm__ops_path_tensor_*: checked on GH100 against HMMA.16816
// instruction counts (docs/COUNTERS.md).
constexpr double k_flop_per_tensor_op = 1.0;

double value_or_zero(const CounterValues& values, std::string_view name) {
    return find_counter(values, std::string(name)).value_or(0.0);
}

bool has(const CounterValues& values, std::string_view name) {
    return values.count(std::string(name)) != 0;
}

std::int64_t to_bytes(double value) {
    return static_cast<std::int64_t>(std::llround(value));
}

// Matmul FLOP are measurable from HMMA instruction counts only when no warpgroup MMA ran (a GMMA
// instruction's FLOP depend on its N, which the counters do not give).
bool matmul_flops_measurable(const CounterValues& values) {
    return has(values, counters::tensor_hmma_inst) &&
           (!has(values, counters::tensor_gmma_inst) ||
            value_or_zero(values, counters::tensor_gmma_inst) == 0.0);
}

// The optional instruction fields (core/metrics.hpp) and the counter each is read from, as is:
// warp instructions, bytes.
constexpr std::pair<std::string_view, std::string_view> k_instruction_fields[] = {
    {"inst_tensor", counters::tensor_hmma_inst},
    {"inst_fp32", counters::inst_fma},
    {"inst_alu", counters::inst_alu},
    {"inst_xu", counters::inst_xu},
    {"inst_lsu", counters::inst_lsu},
    {"inst_ldsm", counters::inst_ldsm},
    {"inst_shuffle", counters::inst_shuffle},
    {"inst_total", counters::inst_total},
    {"local_load_bytes", counters::local_load_bytes},
    {"local_store_bytes", counters::local_store_bytes},
};

}  // namespace

std::optional<double> find_counter(const CounterValues& values, const std::string& name) {
    const auto it = values.find(name);
    if (it == values.end()) return std::nullopt;
    return it->second;
}

Metrics metrics_from_counters(const CounterValues& v) {
    namespace c = counters;
    Metrics m;
    m.hbm_read_bytes = to_bytes(value_or_zero(v, c::dram_read_bytes));
    m.hbm_write_bytes =
        to_bytes(value_or_zero(v, c::dram_write_bytes) + value_or_zero(v, c::l2_writeback_after));
    // What the SMs received, less the values returning atomics bring back (flash2 backward's
    // float2 atomicAdd compiles to ATOM): those are not loads.
    const auto received = find_counter(v, std::string(c::l1tex_received_read_sectors));
    const double read_sectors =
        received ? std::max(0.0, *received - value_or_zero(v, c::l2_tex_atom_sectors))
                 : value_or_zero(v, c::l2_tex_read_sectors);
    m.l2_read_bytes = to_bytes(read_sectors * c::k_sector_bytes);
    m.l2_write_bytes = to_bytes((value_or_zero(v, c::l2_tex_write_sectors) +
                                 value_or_zero(v, c::l2_tex_red_sectors) +
                                 value_or_zero(v, c::l2_tex_atom_sectors)) *
                                c::k_sector_bytes);
    m.sram_read_bytes =
        to_bytes(value_or_zero(v, c::shared_ld_wavefronts) * c::k_shared_wavefront_bytes +
                 value_or_zero(v, c::shared_gmma_bytes));
    m.sram_write_bytes =
        to_bytes(value_or_zero(v, c::shared_st_wavefronts) * c::k_shared_wavefront_bytes +
                 value_or_zero(v, c::cp_async_bytes_cached) + value_or_zero(v, c::tma_load_bytes));
    if (has(v, c::tensor_ops_bf16) || has(v, c::tensor_ops_fp16))
        m.flops_matmul =
            (value_or_zero(v, c::tensor_ops_bf16) + value_or_zero(v, c::tensor_ops_fp16)) *
            k_flop_per_tensor_op;
    else if (matmul_flops_measurable(v))
        m.flops_matmul = value_or_zero(v, c::tensor_hmma_inst) * k_hmma_16816_flop;
    m.time_s = value_or_zero(v, c::duration_ns) * 1e-9;
    m.cycles = value_or_zero(v, c::sm_cycles_max);
    for (const auto& [field, counter] : k_instruction_fields)
        set_optional_metric(m, field, find_counter(v, std::string(counter)));
    return m;
}

std::vector<std::string> measured_fields(const CounterValues& v) {
    namespace c = counters;
    std::vector<std::string> out;
    if (has(v, c::dram_read_bytes)) out.emplace_back("hbm_read_bytes");
    if (has(v, c::dram_write_bytes)) out.emplace_back("hbm_write_bytes");
    if (has(v, c::l2_tex_read_sectors) || has(v, c::l1tex_received_read_sectors))
        out.emplace_back("l2_read_bytes");
    if (has(v, c::l2_tex_write_sectors)) out.emplace_back("l2_write_bytes");
    if (has(v, c::shared_ld_wavefronts)) out.emplace_back("sram_read_bytes");
    if (has(v, c::shared_st_wavefronts)) out.emplace_back("sram_write_bytes");
    if (has(v, c::tensor_ops_bf16) || has(v, c::tensor_ops_fp16) || matmul_flops_measurable(v))
        out.emplace_back("flops_matmul");
    if (has(v, c::duration_ns)) out.emplace_back("time_s");
    if (has(v, c::sm_cycles_max)) out.emplace_back("cycles");
    for (const auto& [field, counter] : k_instruction_fields)
        if (has(v, counter)) out.emplace_back(field);
    return out;
}

double sm_clock_hz(const CounterValues& values) {
    return value_or_zero(values, counters::sm_clock_hz);
}

}  // namespace flashscope::profiler
