#include "flashscope/sweep/sweep_point.hpp"

#include <stdexcept>

#include "flashscope/core/number_text.hpp"
#include "flashscope/sim/result_io.hpp"
#include "flashscope/sweep/digest.hpp"

namespace flashscope::sweep {

boost::json::object point_json(const SweepPoint& p) {
    return sim::config_to_json(p.config);
}

namespace {

// A field's value as the canonical text writes it; the same for 0 read back as an integer and the
// 0.0 it was written from.
std::string field_text(std::string_view key, const boost::json::value& value) {
    if (value.is_string()) return std::string(value.get_string());
    if (value.is_int64()) return std::to_string(value.get_int64());
    if (value.is_uint64()) return std::to_string(value.get_uint64());
    if (value.is_bool()) return value.get_bool() ? "true" : "false";
    if (value.is_double()) return real_text(value.get_double());  // shortest text that round-trips
    throw std::invalid_argument("field '" + std::string(key) +
                                "' is not a string, number or boolean");
}

}  // namespace

std::string canonical_text(const boost::json::object& point) {
    static const boost::json::object defaults = sim::config_to_json(sim::SimulationConfig{});
    std::string s;
    for (const auto& [key, value] : point) {
        const std::string text = field_text(key, value);
        const bool added_later = key == "softmax_scale" || key == "dropout" || key == "naive_eager";
        if (added_later && text == field_text(key, defaults.at(key))) continue;
        if (!s.empty()) s += ' ';
        s.append(key.data(), key.size());
        s += '=';
        s += text;
    }
    return s;
}

std::string canonical_config(const SweepPoint& point) {
    return canonical_text(point_json(point));
}

std::string point_id(const SweepPoint& point) {
    return digest_hex(canonical_config(point));
}

}  // namespace flashscope::sweep
