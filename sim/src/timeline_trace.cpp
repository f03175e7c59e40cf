#include "flashscope/sim/timeline_trace.hpp"

#include <algorithm>

namespace flashscope::sim {
namespace {

TraceArgs kernel_args(const KernelResult& k) {
    return {{"ctas", double(k.ctas)},
            {"ctas_per_sm", double(k.ctas_per_sm)},
            {"occupancy_limit", k.occupancy_limit},
            {"waves", k.waves},
            {"bottleneck", std::string(to_string(k.bottleneck))},
            {"hbm_read_bytes", double(k.metrics.hbm_read_bytes)},
            {"hbm_write_bytes", double(k.metrics.hbm_write_bytes)},
            {"l2_read_bytes", double(k.metrics.l2_read_bytes)},
            {"time_s", k.metrics.time_s}};
}

std::string wave_name(const WaveSpan& w) {
    return w.first_wave == w.last_wave
               ? "wave " + std::to_string(w.first_wave)
               : "waves " + std::to_string(w.first_wave) + "-" + std::to_string(w.last_wave);
}

// Waves overlap where slots free unevenly; a slice may not overlap another on its track, so each
// goes on the first lane that is free when it begins.
void add_waves(ChromeTrace& trace, const Result& result, int pid) {
    std::vector<double> lane_end;
    for (const KernelResult& k : result.kernels) {
        for (const WaveSpan& w : k.wave_spans) {
            if (w.begin_s < 0 || w.end_s < w.begin_s) continue;  // never issued
            std::size_t lane = 0;
            while (lane < lane_end.size() && lane_end[lane] > w.begin_s) ++lane;
            if (lane == lane_end.size()) {
                lane_end.push_back(0);
                const int tid = k_trace_first_wave_tid + int(lane);
                trace.name_thread(
                    pid, tid,
                    lane == 0 ? "CTA waves" : "CTA waves (overlap " + std::to_string(lane) + ")",
                    tid);
            }
            lane_end[lane] = w.end_s;
            trace.add_slice(pid, k_trace_first_wave_tid + int(lane), wave_name(w), "wave",
                            w.begin_s, w.end_s - w.begin_s,
                            {{"kernel", k.name},
                             {"first_wave", double(w.first_wave)},
                             {"last_wave", double(w.last_wave)}});
        }
    }
}

}  // namespace

std::vector<double> kernel_begin_times(const Result& result) {
    std::vector<double> begins;
    double t = 0;
    for (const KernelResult& k : result.kernels) {
        begins.push_back(t);
        t += k.metrics.time_s;
    }
    return begins;
}

void add_timeline_trace(ChromeTrace& trace, const Result& result, int pid,
                        const std::string& label) {
    trace.name_process(pid,
                       label + std::string(to_string(result.algorithm)) + " (" + result.gpu + ", " +
                           std::string(to_string(result.model)) + " model)",
                       pid);
    trace.name_thread(pid, k_trace_kernels_tid, "kernels", k_trace_kernels_tid);
    const std::vector<double> begins = kernel_begin_times(result);
    for (std::size_t i = 0; i < result.kernels.size(); ++i) {
        const KernelResult& k = result.kernels[i];
        trace.add_slice(pid, k_trace_kernels_tid, k.name, "kernel", begins[i], k.metrics.time_s,
                        kernel_args(k));
    }
    add_waves(trace, result, pid);
    if (result.timeline.empty()) return;
    for (int r = 0; r < k_resource_count - 1; ++r) {
        const std::string name = std::string(to_string(Resource(r))) + " busy";
        for (const TimelineSample& s : result.timeline)
            trace.add_counter(pid, name, s.t_begin_s,
                              {{"%", 100.0 * s.utilization[std::size_t(r)]}});
        trace.add_counter(pid, name, result.timeline.back().t_end_s, {{"%", 0.0}});
    }
}

std::string timeline_chrome_trace(const std::vector<Result>& results) {
    ChromeTrace trace;
    for (std::size_t i = 0; i < results.size(); ++i)
        add_timeline_trace(trace, results[i], int(i) + 1, "simulated ");
    return trace.to_json();
}

}  // namespace flashscope::sim
