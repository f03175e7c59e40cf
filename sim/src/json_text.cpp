// JSON text with plain numbers: Boost.JSON writes doubles as 1.83E9 and 0E0, which some readers
// (and people) stumble on; every flashscope JSON file is written here instead.
#include <boost/json.hpp>

#include "flashscope/core/number_text.hpp"
#include "flashscope/sim/result_io.hpp"

namespace flashscope::sim {
namespace {

void append(std::string& out, const boost::json::value& v) {
    switch (v.kind()) {
        case boost::json::kind::object: {
            out += '{';
            bool first = true;
            for (const auto& [key, value] : v.get_object()) {
                if (!first) out += ',';
                first = false;
                out += boost::json::serialize(boost::json::string(key));
                out += ':';
                append(out, value);
            }
            out += '}';
            return;
        }
        case boost::json::kind::array: {
            out += '[';
            bool first = true;
            for (const auto& value : v.get_array()) {
                if (!first) out += ',';
                first = false;
                append(out, value);
            }
            out += ']';
            return;
        }
        case boost::json::kind::double_:
            out += plain_number_text(v.get_double());
            return;
        default:
            out += boost::json::serialize(v);
            return;  // strings, integers, booleans, null
    }
}

}  // namespace

std::string json_text(const boost::json::value& value) {
    std::string out;
    append(out, value);
    return out;
}

}  // namespace flashscope::sim
