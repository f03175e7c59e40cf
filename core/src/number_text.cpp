#include "flashscope/core/number_text.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <limits>

#include "flashscope/core/error.hpp"

namespace flashscope {
namespace {

std::string range_text(double min, double max, bool max_excluded) {
    const bool open = max == std::numeric_limits<double>::infinity();
    return "[" + real_text(min) + ", " +
           (open ? std::string("inf)") : real_text(max) + (max_excluded ? ")" : "]"));
}

}  // namespace

std::int64_t parse_whole(std::string_view field, std::string_view text, std::int64_t min,
                         std::int64_t max) {
    // A leading '+' is allowed (+1024), as YAML and strtoll take it; from_chars does not.
    const std::string_view digits =
        text.starts_with("+") && !text.starts_with("+-") ? text.substr(1) : text;
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
    const bool whole = !digits.empty() && end == digits.data() + digits.size() &&
                       ec != std::errc::invalid_argument;
    if (!whole || ec == std::errc::result_out_of_range || v < min || v > max)
        throw ConfigError(
            std::string(field), std::string(text),
            "must be a whole number in [" + std::to_string(min) + ", " + std::to_string(max) + "]");
    return v;
}

double parse_real(std::string_view field, std::string_view text, double min, double max,
                  bool max_excluded) {
    double v = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    const bool read = !text.empty() && ec == std::errc() && end == text.data() + text.size();
    if (!read || !std::isfinite(v) || v < min || v > max || (max_excluded && v == max))
        throw ConfigError(std::string(field), std::string(text),
                          "must be a number in " + range_text(min, max, max_excluded));
    return v;
}

bool parse_boolean(std::string_view field, std::string_view text) {
    for (std::string_view yes :
         {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "1"})
        if (text == yes) return true;
    for (std::string_view no :
         {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "0"})
        if (text == no) return false;
    throw ConfigError(std::string(field), std::string(text), "must be true or false");
}

std::string real_text(double v) {
    if (v == 0) return "0";  // also -0
    // The shortest round-trip text of a double has at most 24 characters.
    std::array<char, 64> buf{};
    const auto end = std::to_chars(buf.data(), buf.data() + buf.size(), v).ptr;
    return std::string(buf.data(), end);
}

std::string plain_number_text(double v) {
    if (!std::isfinite(v)) return "null";
    if (v == 0) return "0";
    std::array<char, 400> buf{};  // fixed notation of the largest double needs 309 digits
    const auto end =
        std::to_chars(buf.data(), buf.data() + buf.size(), v, std::chars_format::fixed).ptr;
    return std::string(buf.data(), end);
}

}  // namespace flashscope
