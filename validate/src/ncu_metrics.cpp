#include "flashscope/validate/ncu_metrics.hpp"

#include <algorithm>

#include "flashscope/core/error.hpp"
#include "flashscope/profiler/counter_conversion.hpp"
#include "flashscope/profiler/counter_names.hpp"
#include "ncu_text.hpp"

namespace flashscope::validate {
namespace {

namespace c = profiler::counters;
using detail::UnitKind;

std::string s(std::string_view text) {
    return std::string(text);
}

UnitKind expected_kind(const std::string& metric) {
    if (metric == c::duration_ns) return UnitKind::seconds;
    if (metric == c::sm_clock_hz) return UnitKind::hertz;
    if (metric.find("bytes") != std::string::npos) return UnitKind::bytes;
    return UnitKind::count;
}

std::string kernel_place(const NcuKernel& k, const std::string& origin) {
    return origin + ":" + std::to_string(k.line) + " (ID " + std::to_string(k.id) + ", " +
           short_kernel_name(k.name) + ")";
}

}  // namespace

bool has_hopper_counters(const std::string& compute_capability) {
    if (compute_capability.empty()) return true;
    const auto major =
        detail::ncu_number(compute_capability.substr(0, compute_capability.find('.')));
    return !major || *major >= 9;
}

std::map<std::string, std::vector<std::string>> ncu_field_metrics(const std::string& cc) {
    const bool hopper = has_hopper_counters(cc);
    std::vector<std::string> sram_read = {s(c::shared_ld_wavefronts)};
    std::vector<std::string> sram_write = {s(c::shared_st_wavefronts), s(c::cp_async_bytes_cached)};
    if (hopper) {
        sram_read.push_back(s(c::shared_gmma_bytes));
        sram_write.push_back(s(c::tma_load_bytes));
    }
    return {{"hbm_read_bytes", {s(c::dram_read_bytes)}},
            {"hbm_write_bytes", {s(c::dram_write_bytes)}},
            {"l2_read_bytes", {s(c::l2_tex_read_sectors)}},
            {"l2_write_bytes",
             {s(c::l2_tex_write_sectors), s(c::l2_tex_red_sectors), s(c::l2_tex_atom_sectors)}},
            {"sram_read_bytes", sram_read},
            {"sram_write_bytes", sram_write},
            {"flops_matmul", {s(c::tensor_ops_bf16), s(c::tensor_ops_fp16)}},
            {"time_s", {s(c::duration_ns)}},
            {"cycles", {s(c::duration_ns), s(c::sm_clock_hz)}}};
}

const std::vector<std::string>& ncu_required_metrics() {
    static const std::vector<std::string> required = {s(c::duration_ns), s(c::dram_read_bytes),
                                                      s(c::dram_write_bytes)};
    return required;
}

std::vector<std::string> ncu_metric_list(const std::string& compute_capability) {
    std::vector<std::string> list;
    const auto fields = ncu_field_metrics(compute_capability);
    for (const auto& info : metric_table()) {  // in the fields' order
        const auto it = fields.find(std::string(info.name));
        if (it == fields.end()) continue;
        for (const auto& m : it->second)
            if (std::find(list.begin(), list.end(), m) == list.end()) list.push_back(m);
    }
    list.emplace_back(ncu_device_name_metric);
    return list;
}

std::string ncu_metrics_argument(const std::string& compute_capability) {
    std::string out;
    for (const auto& m : ncu_metric_list(compute_capability)) out += (out.empty() ? "" : ",") + m;
    return out;
}

NcuMeasurement measure_ncu_kernel(const NcuKernel& k, const std::string& origin) {
    NcuMeasurement out;
    profiler::CounterValues values;
    for (const auto& name : ncu_metric_list(k.compute_capability)) {
        if (const auto unread = k.unread_units.find(name); unread != k.unread_units.end())
            throw ConfigError(
                "ncu report", kernel_place(k, origin),
                name + " is in '" + unread->second + "', a unit flashscope does not read");
        const auto it = k.metrics.find(name);
        if (it == k.metrics.end() || it->second.unit.empty()) continue;
        const auto unit = detail::ncu_unit(it->second.unit);
        if (unit && unit->kind != expected_kind(name))
            throw ConfigError("ncu report", kernel_place(k, origin),
                              name + " is in '" + it->second.unit + "', not " +
                                  std::string(to_string(expected_kind(name))));
    }
    for (const auto& metric : ncu_required_metrics())
        if (!k.metrics.count(metric))
            throw ConfigError(
                "ncu report", kernel_place(k, origin),
                "lacks the metric " + metric + " (collect the list in docs/COUNTERS.md)");
    for (const auto& [name, v] : k.metrics) values[name] = v.value;
    // The profiler's conversions read the duration in nanoseconds.
    values[s(c::duration_ns)] = k.metrics.at(s(c::duration_ns)).value * 1e9;
    out.metrics = profiler::metrics_from_counters(values);
    out.sm_clock_hz = profiler::sm_clock_hz(values);
    out.metrics.cycles = out.metrics.time_s * out.sm_clock_hz;
    for (const auto& [field, metrics] : ncu_field_metrics(k.compute_capability)) {
        std::vector<std::string> missing;
        for (const auto& m : metrics)
            if (!k.metrics.count(m)) missing.push_back(m);
        if (missing.empty())
            out.fields.insert(field);
        else
            out.missing[field] = missing;
    }
    for (const auto& [name, v] : k.metrics) out.counters[name] = v.value;
    return out;
}

}  // namespace flashscope::validate
