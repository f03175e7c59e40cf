#include "flashscope/profiler/metric_group.hpp"

#include <algorithm>

#include "flashscope/profiler/counter_names.hpp"

namespace flashscope::profiler {

namespace {

std::vector<std::string> names(std::initializer_list<std::string_view> list) {
    return {list.begin(), list.end()};
}

void append_unique(std::vector<std::string>& into, const std::vector<std::string>& from) {
    for (const auto& name : from) {
        if (std::find(into.begin(), into.end(), name) == into.end()) into.push_back(name);
    }
}

}  // namespace

const std::vector<MetricGroup>& default_metric_groups() {
    namespace c = counters;
    static const std::vector<MetricGroup> groups = {
        {"core",
         names({c::dram_read_bytes, c::dram_write_bytes, c::duration_ns, c::sm_cycles_max,
                c::sm_clock_hz}),
         true},
        {"l2",
         names({c::l2_tex_read_sectors, c::l2_tex_write_sectors, c::l2_tex_red_sectors,
                c::l2_tex_atom_sectors}),
         false},
        {"shared",
         names({c::shared_ld_wavefronts, c::shared_st_wavefronts, c::shared_ld_bank_conflicts,
                c::shared_st_bank_conflicts}),
         false},
        {"tensor",
         names({c::tensor_cycles, c::tensor_hmma_cycles, c::tensor_hmma_inst, c::tensor_gmma_inst}),
         false},
        {"tensor_ops", names({c::tensor_ops_bf16, c::tensor_ops_fp16}), false},
        {"shared_gmma", names({c::shared_gmma_bytes}), false},
        {"cp_async", names({c::cp_async_bytes_cached}), false},
        {"tma", names({c::tma_load_bytes}), false},
        {"l2_received", names({c::l1tex_received_read_sectors}), false},
    };
    return groups;
}

const MetricGroup& instruction_metric_group() {
    namespace c = counters;
    static const MetricGroup group = {
        "instructions",
        names({c::inst_total, c::inst_fma, c::inst_alu, c::inst_xu, c::inst_lsu, c::inst_ldsm,
               c::inst_shuffle, c::local_load_bytes, c::local_store_bytes}),
        false};
    return group;
}

std::vector<std::string> all_counters(const std::vector<MetricGroup>& groups) {
    std::vector<std::string> out;
    for (const auto& group : groups) append_unique(out, group.counters);
    return out;
}

std::vector<SessionPlan> plan_sessions(const std::vector<MetricGroup>& groups,
                                       const PassCounter& pass_count) {
    std::vector<SessionPlan> plans;
    for (const auto& group : groups) {
        if (group.counters.empty()) continue;
        if (!plans.empty()) {
            SessionPlan& last = plans.back();
            std::vector<std::string> merged = last.counters;
            append_unique(merged, group.counters);
            const std::int64_t passes = pass_count(merged);
            if (passes <= 1) {
                last.counters = std::move(merged);
                last.group_names.push_back(group.name);
                last.passes = passes;
                continue;
            }
        }
        SessionPlan plan;
        plan.group_names = {group.name};
        append_unique(plan.counters, group.counters);
        plan.passes = pass_count(plan.counters);
        plans.push_back(std::move(plan));
    }
    return plans;
}

}  // namespace flashscope::profiler
