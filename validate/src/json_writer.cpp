#include "json_writer.hpp"

#include <cmath>
#include <cstdio>

#include "flashscope/core/chrome_trace.hpp"

namespace flashscope::validate::detail {

void JsonWriter::newline() {
    m_out << '\n' << std::string(2 * m_first.size(), ' ');
}

void JsonWriter::separate() {
    if (m_after_key) {
        m_after_key = false;
        return;
    }
    if (m_first.empty()) return;
    if (!m_first.back()) m_out << ',';
    m_first.back() = false;
    // Arrays and objects nested at most two deep get one element per line.
    if (m_first.size() <= 3) newline();
}

JsonWriter& JsonWriter::begin_object() {
    separate();
    m_out << '{';
    m_first.push_back(true);
    return *this;
}

JsonWriter& JsonWriter::end_object() {
    const bool empty = m_first.back();
    m_first.pop_back();
    if (!empty && m_first.size() <= 2) newline();
    m_out << '}';
    return *this;
}

JsonWriter& JsonWriter::begin_array() {
    separate();
    m_out << '[';
    m_first.push_back(true);
    return *this;
}

JsonWriter& JsonWriter::end_array() {
    const bool empty = m_first.back();
    m_first.pop_back();
    if (!empty && m_first.size() <= 2) newline();
    m_out << ']';
    return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
    separate();
    m_out << json_quoted(std::string(name)) << ": ";
    m_after_key = true;
    return *this;
}

JsonWriter& JsonWriter::value(std::string_view text) {
    separate();
    m_out << json_quoted(std::string(text));
    return *this;
}

JsonWriter& JsonWriter::value(double number) {
    separate();
    if (!std::isfinite(number)) {
        m_out << "null";
    } else {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.17g", number);
        m_out << buf;
    }
    return *this;
}

JsonWriter& JsonWriter::value(long long number) {
    separate();
    m_out << number;
    return *this;
}

JsonWriter& JsonWriter::value(bool flag) {
    separate();
    m_out << (flag ? "true" : "false");
    return *this;
}

}  // namespace flashscope::validate::detail
