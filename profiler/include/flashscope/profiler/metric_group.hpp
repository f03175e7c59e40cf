#pragma once
// Counters are asked for in named groups. The "core" group (DRAM bytes, duration, SM clock) must be
// collected in one pass so compared numbers come from the same run of a kernel; optional groups may
// lose counters the chip does not have. Groups are merged into profiling sessions while the merged
// set still needs a single pass.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace flashscope::profiler {

struct MetricGroup {
    std::string name;
    std::vector<std::string> counters;
    bool required = false;  // a missing counter of a required group is an error
};

// core (required), l2, shared, tensor, tensor_ops, shared_gmma, cp_async, tma, l2_received.
const std::vector<MetricGroup>& default_metric_groups();

// Optional, not in the defaults since it may need passes of its own: executed instructions per
// pipe and class (FMA, ALU, XU, LSU, ldmatrix, shuffles, all) and local-memory (spill) bytes.
// The tensor instruction count is in the default `tensor` group.
const MetricGroup& instruction_metric_group();

// One profiling session: the counters collected together and how many passes they need.
struct SessionPlan {
    std::vector<std::string> group_names;
    std::vector<std::string> counters;
    std::int64_t passes = 0;
};

// Greedy merge in group order: a group joins the current session when the union still needs one
// pass (as told by pass_count); otherwise it starts a new session. A required group is never
// merged into a session that would make it need more than one pass.
using PassCounter = std::function<std::int64_t(const std::vector<std::string>& counters)>;
std::vector<SessionPlan> plan_sessions(const std::vector<MetricGroup>& groups,
                                       const PassCounter& pass_count);

// All counters of the groups, in order, without duplicates.
std::vector<std::string> all_counters(const std::vector<MetricGroup>& groups);

}  // namespace flashscope::profiler
