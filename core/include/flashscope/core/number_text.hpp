#pragma once
// Numbers as users type them (flags, sweep files, sessions): read exactly or refused with a
// ConfigError naming the field, the text as typed and the accepted range; written back as the
// shortest text that reads to the same value.
#include <cstdint>
#include <string>
#include <string_view>

namespace flashscope {

// A whole number in [min, max]; "0064" and "+64" read as 64. Text outside int64 is out of range,
// never clamped.
std::int64_t parse_whole(std::string_view field, std::string_view text, std::int64_t min,
                         std::int64_t max);

// A finite real in [min, max], or [min, max) when max_excluded.
double parse_real(std::string_view field, std::string_view text, double min, double max,
                  bool max_excluded = false);

// true/false (also yes/no, on/off, 1/0, as YAML writes them).
bool parse_boolean(std::string_view field, std::string_view text);

// The shortest text that reads back to v: "0.1", "0", "1e-05".
std::string real_text(double v);

// v without an exponent, for JSON: 1830000000, 0.08838834764831843; "null" when not finite.
std::string plain_number_text(double v);

}  // namespace flashscope
