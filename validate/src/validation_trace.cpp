#include "flashscope/validate/validation_trace.hpp"

#include <map>

namespace flashscope::validate {
namespace {

std::string configuration_of(const ValidationRecord& r) {
    ConfigKey key = r.key;
    key.kernel.clear();
    std::string text = to_string(key);
    return text.substr(0, text.rfind(" :"));
}

TraceArgs record_args(const ValidationRecord& r) {
    TraceArgs args;
    for (const auto& info : metric_table()) {
        const std::string field(info.name);
        if (!r.is_measured(field)) continue;
        args.emplace_back("relative_error_" + field, r.relative_error(field));
    }
    if (const auto it = r.counters.find("ncu_launch_id"); it != r.counters.end())
        args.emplace_back("ncu_launch_id", it->second);
    return args;
}

}  // namespace

int add_validation_trace(ChromeTrace& trace, const ValidationRun& run, int first_pid) {
    std::map<std::string, int> pids;
    std::map<int, double> measured_end, predicted_end;
    for (const ValidationRecord& r : run.records) {
        if (r.key.kernel == k_l2_dirty_at_end) continue;
        const std::string config = configuration_of(r);
        auto [it, fresh] = pids.try_emplace(config, first_pid + int(pids.size()));
        const int pid = it->second;
        if (fresh) {
            trace.name_process(pid, config + " (" + run.gpu_preset + ")", pid);
            trace.name_thread(pid, k_trace_measured_tid, "measured (" + run.device + ")",
                              k_trace_measured_tid);
            trace.name_thread(pid, k_trace_predicted_tid, "predicted (" + run.model + " model)",
                              k_trace_predicted_tid);
        }
        const TraceArgs args = record_args(r);
        if (r.is_measured("time_s")) {
            double& end = measured_end[pid];
            trace.add_slice(pid, k_trace_measured_tid, r.key.kernel, "measured", end,
                            r.measured.time_s, args);
            end += r.measured.time_s;
        }
        double& end = predicted_end[pid];
        trace.add_slice(pid, k_trace_predicted_tid, r.key.kernel, "predicted", end,
                        r.predicted.time_s, args);
        end += r.predicted.time_s;
    }
    return first_pid + int(pids.size());
}

std::string validation_chrome_trace(const ValidationRun& run) {
    ChromeTrace trace;
    add_validation_trace(trace, run, 1);
    return trace.to_json();
}

}  // namespace flashscope::validate
