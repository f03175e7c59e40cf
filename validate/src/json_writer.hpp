#pragma once
// Internal: a small streaming JSON writer (objects, arrays, strings, numbers; NaN as null).
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace flashscope::validate::detail {

class JsonWriter {
public:
    JsonWriter& begin_object();
    JsonWriter& end_object();
    JsonWriter& begin_array();
    JsonWriter& end_array();
    JsonWriter& key(std::string_view name);
    JsonWriter& value(std::string_view text);
    JsonWriter& value(const char* text) { return value(std::string_view(text)); }
    JsonWriter& value(double number);
    JsonWriter& value(long long number);
    JsonWriter& value(bool flag);
    std::string str() const { return m_out.str(); }

private:
    void separate();
    void newline();
    std::ostringstream m_out;
    std::vector<bool> m_first;  // per open container: nothing written yet
    bool m_after_key = false;
};

}  // namespace flashscope::validate::detail
