#include "flashscope/core/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "flashscope/core/count.hpp"

namespace flashscope {
namespace {

using OptionalMember = std::optional<double> Metrics::*;
struct OptionalField {
    std::string_view name;
    OptionalMember member;
};
constexpr OptionalField k_optional_fields[] = {
    {"inst_tensor", &Metrics::inst_tensor},
    {"inst_fp32", &Metrics::inst_fp32},
    {"inst_alu", &Metrics::inst_alu},
    {"inst_xu", &Metrics::inst_xu},
    {"inst_lsu", &Metrics::inst_lsu},
    {"inst_ldsm", &Metrics::inst_ldsm},
    {"inst_shuffle", &Metrics::inst_shuffle},
    {"inst_total", &Metrics::inst_total},
    {"local_load_bytes", &Metrics::local_load_bytes},
    {"local_store_bytes", &Metrics::local_store_bytes},
};
template <OptionalMember member>
double optional_value(const Metrics& m) {
    return (m.*member).value_or(std::numeric_limits<double>::quiet_NaN());
}

}  // namespace

Metrics& Metrics::operator+=(const Metrics& o) {
    hbm_read_bytes = checked_add(hbm_read_bytes, o.hbm_read_bytes, "hbm_read_bytes");
    hbm_write_bytes = checked_add(hbm_write_bytes, o.hbm_write_bytes, "hbm_write_bytes");
    l2_read_bytes = checked_add(l2_read_bytes, o.l2_read_bytes, "l2_read_bytes");
    l2_write_bytes = checked_add(l2_write_bytes, o.l2_write_bytes, "l2_write_bytes");
    sram_read_bytes = checked_add(sram_read_bytes, o.sram_read_bytes, "sram_read_bytes");
    sram_write_bytes = checked_add(sram_write_bytes, o.sram_write_bytes, "sram_write_bytes");
    flops_matmul += o.flops_matmul;
    flops_softmax += o.flops_softmax;
    hbm_footprint_bytes = std::max(hbm_footprint_bytes, o.hbm_footprint_bytes);
    time_s += o.time_s;
    cycles += o.cycles;
    // An optional field is the sum of the parts that have it, empty when none has.
    for (const auto& field : k_optional_fields) {
        const OptionalMember member = field.member;
        if (!(o.*member)) continue;
        this->*member = (this->*member).value_or(0.0) + *(o.*member);
    }
    return *this;
}

std::string_view to_string(MetricUnit unit) {
    switch (unit) {
        case MetricUnit::bytes:
            return "B";
        case MetricUnit::flop:
            return "FLOP";
        case MetricUnit::seconds:
            return "s";
        case MetricUnit::cycles:
            return "cycles";
        case MetricUnit::instructions:
            return "inst";
    }
    return "?";
}

const std::array<MetricInfo, 22>& metric_table() {
    using M = Metrics;
    static const std::array<MetricInfo, 22> table = {{
        {"hbm_read_bytes", MetricUnit::bytes, [](const M& m) { return double(m.hbm_read_bytes); }},
        {"hbm_write_bytes", MetricUnit::bytes,
         [](const M& m) { return double(m.hbm_write_bytes); }},
        {"l2_read_bytes", MetricUnit::bytes, [](const M& m) { return double(m.l2_read_bytes); }},
        {"l2_write_bytes", MetricUnit::bytes, [](const M& m) { return double(m.l2_write_bytes); }},
        {"sram_read_bytes", MetricUnit::bytes,
         [](const M& m) { return double(m.sram_read_bytes); }},
        {"sram_write_bytes", MetricUnit::bytes,
         [](const M& m) { return double(m.sram_write_bytes); }},
        {"flops", MetricUnit::flop, [](const M& m) { return m.flops(); }},
        {"flops_matmul", MetricUnit::flop, [](const M& m) { return m.flops_matmul; }},
        {"flops_softmax", MetricUnit::flop, [](const M& m) { return m.flops_softmax; }},
        {"hbm_footprint_bytes", MetricUnit::bytes,
         [](const M& m) { return double(m.hbm_footprint_bytes); }},
        {"time_s", MetricUnit::seconds, [](const M& m) { return m.time_s; }},
        {"cycles", MetricUnit::cycles, [](const M& m) { return m.cycles; }},
        {"inst_tensor", MetricUnit::instructions, optional_value<&M::inst_tensor>, true},
        {"inst_fp32", MetricUnit::instructions, optional_value<&M::inst_fp32>, true},
        {"inst_alu", MetricUnit::instructions, optional_value<&M::inst_alu>, true},
        {"inst_xu", MetricUnit::instructions, optional_value<&M::inst_xu>, true},
        {"inst_lsu", MetricUnit::instructions, optional_value<&M::inst_lsu>, true},
        {"inst_ldsm", MetricUnit::instructions, optional_value<&M::inst_ldsm>, true},
        {"inst_shuffle", MetricUnit::instructions, optional_value<&M::inst_shuffle>, true},
        {"inst_total", MetricUnit::instructions, optional_value<&M::inst_total>, true},
        {"local_load_bytes", MetricUnit::bytes, optional_value<&M::local_load_bytes>, true},
        {"local_store_bytes", MetricUnit::bytes, optional_value<&M::local_store_bytes>, true},
    }};
    return table;
}

bool set_optional_metric(Metrics& m, std::string_view name, std::optional<double> value) {
    for (const auto& field : k_optional_fields) {
        if (field.name != name) continue;
        m.*field.member = value && !std::isnan(*value) ? value : std::nullopt;
        return true;
    }
    return false;
}

std::optional<MetricInfo> find_metric(std::string_view name) {
    for (const auto& info : metric_table()) {
        if (info.name == name) return info;
    }
    return std::nullopt;
}

}  // namespace flashscope
