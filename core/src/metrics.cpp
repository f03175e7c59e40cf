#include "flashscope/core/metrics.hpp"

#include <algorithm>

#include "flashscope/core/count.hpp"

namespace flashscope {

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
    }
    return "?";
}

const std::array<MetricInfo, 12>& metric_table() {
    using M = Metrics;
    static const std::array<MetricInfo, 12> table = {{
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
    }};
    return table;
}

std::optional<MetricInfo> find_metric(std::string_view name) {
    for (const auto& info : metric_table()) {
        if (info.name == name) return info;
    }
    return std::nullopt;
}

}  // namespace flashscope
