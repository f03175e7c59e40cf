#include "flashscope/core/chrome_trace.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace flashscope {
namespace {

std::string number(double v) {
    if (!std::isfinite(v)) return "null";  // JSON has no NaN or infinity
    char buf[64];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    return ec == std::errc() ? std::string(buf, end) : "null";
}

std::string microseconds(double seconds) {
    return number(seconds * 1e6);
}

void append_args(std::string& out, const TraceArgs& args) {
    out += ",\"args\":{";
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (i) out += ',';
        out += json_quoted(args[i].first);
        out += ':';
        if (const auto* text = std::get_if<std::string>(&args[i].second))
            out += json_quoted(*text);
        else
            out += number(std::get<double>(args[i].second));
    }
    out += '}';
}

}  // namespace

std::string json_quoted(const std::string& text) {
    std::string out = "\"";
    for (const char c : text) {
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\r':
                out += "\\r";
                break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", c);
                    out += buf;
                } else {
                    out += c;
                }
        }
    }
    return out + "\"";
}

void ChromeTrace::name_process(int pid, const std::string& name, int sort_index) {
    m_events.push_back({'M', "process_name", {}, pid, 0, 0, 0, {{"name", name}}});
    m_events.push_back(
        {'M', "process_sort_index", {}, pid, 0, 0, 0, {{"sort_index", double(sort_index)}}});
}

void ChromeTrace::name_thread(int pid, int tid, const std::string& name, int sort_index) {
    m_events.push_back({'M', "thread_name", {}, pid, tid, 0, 0, {{"name", name}}});
    m_events.push_back(
        {'M', "thread_sort_index", {}, pid, tid, 0, 0, {{"sort_index", double(sort_index)}}});
}

void ChromeTrace::add_slice(int pid, int tid, const std::string& name, const std::string& category,
                            double begin_s, double duration_s, TraceArgs args) {
    m_events.push_back({'X', name, category, pid, tid, begin_s, duration_s, std::move(args)});
}

void ChromeTrace::add_counter(int pid, const std::string& name, double t_s, TraceArgs values) {
    m_events.push_back({'C', name, {}, pid, 0, t_s, 0, std::move(values)});
}

std::string ChromeTrace::to_json() const {
    std::string out = "{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n";
    for (std::size_t i = 0; i < m_events.size(); ++i) {
        const TraceEvent& e = m_events[i];
        out += "{\"ph\":\"";
        out += e.phase;
        out += "\",\"name\":" + json_quoted(e.name);
        if (!e.category.empty()) out += ",\"cat\":" + json_quoted(e.category);
        out += ",\"pid\":" + std::to_string(e.pid) + ",\"tid\":" + std::to_string(e.tid);
        if (e.phase != 'M') out += ",\"ts\":" + microseconds(e.begin_s);
        if (e.phase == 'X') out += ",\"dur\":" + microseconds(e.duration_s);
        if (!e.args.empty()) append_args(out, e.args);
        out += i + 1 < m_events.size() ? "},\n" : "}\n";
    }
    return out + "]}\n";
}

}  // namespace flashscope
