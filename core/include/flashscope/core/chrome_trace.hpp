#pragma once
// A trace in the Chrome trace event format, the JSON that Perfetto (ui.perfetto.dev) and
// chrome://tracing load: processes and threads named by metadata ("M") events, slices as complete
// ("X") events and counter tracks as "C" events. Times are given in seconds and written in
// microseconds, the format's unit, as shortest round-trip decimals.
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace flashscope {

using TraceArgValue = std::variant<double, std::string>;
using TraceArgs = std::vector<std::pair<std::string, TraceArgValue>>;

struct TraceEvent {
    char phase = 'X';  // 'M' metadata, 'X' complete (slice), 'C' counter
    std::string name;
    std::string category;  // empty: none written
    int pid = 0;
    int tid = 0;
    double begin_s = 0;
    double duration_s = 0;  // 'X' only
    TraceArgs args;
};

class ChromeTrace {
public:
    // Named processes and threads; sort_index orders them top to bottom in the viewers.
    void name_process(int pid, const std::string& name, int sort_index);
    void name_thread(int pid, int tid, const std::string& name, int sort_index);
    void add_slice(int pid, int tid, const std::string& name, const std::string& category,
                   double begin_s, double duration_s, TraceArgs args = {});
    // One sample of the counter track `name` of process pid: each arg is a series of the track.
    void add_counter(int pid, const std::string& name, double t_s, TraceArgs values);

    const std::vector<TraceEvent>& events() const { return m_events; }
    // {"displayTimeUnit": "ns", "traceEvents": [...]} with one event per line.
    std::string to_json() const;

private:
    std::vector<TraceEvent> m_events;
};

std::string json_quoted(const std::string& text);  // "..." with JSON escapes

}  // namespace flashscope
