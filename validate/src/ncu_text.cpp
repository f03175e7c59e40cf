#include "ncu_text.hpp"

#include <array>
#include <charconv>
#include <utility>

namespace flashscope::validate::detail {

std::optional<std::vector<std::string>> csv_fields(std::string_view line) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::vector<std::string> fields(1);
    bool quoted = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quoted) {
            if (c != '"')
                fields.back() += c;
            else if (i + 1 < line.size() && line[i + 1] == '"')
                fields.back() += '"', ++i;
            else
                quoted = false;
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',') {
            fields.emplace_back();
        } else {
            fields.back() += c;
        }
    }
    if (quoted) return std::nullopt;
    return fields;
}

std::optional<double> ncu_number(std::string_view text) {
    std::string digits;
    for (const char c : text)
        if (c != ',' && c != ' ') digits += c;
    if (digits.empty()) return std::nullopt;
    double value = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
    return value;
}

namespace {

constexpr std::array<std::pair<std::string_view, double>, 11> k_prefixes = {
    {{"", 1},
     {"n", 1e-9},
     {"u", 1e-6},
     {"m", 1e-3},
     {"K", 1e3},
     {"M", 1e6},
     {"G", 1e9},
     {"T", 1e12},
     {"Ki", 1024.0},
     {"Mi", 1024.0 * 1024},
     {"Gi", 1024.0 * 1024 * 1024}}};

std::optional<double> prefix_scale(std::string_view prefix) {
    for (const auto& [name, scale] : k_prefixes)
        if (name == prefix) return scale;
    return std::nullopt;
}

// Counted things ncu names in its units.
constexpr std::array<std::string_view, 12> k_count_bases = {
    "sector",    "cycle", "inst", "warp", "thread", "request",
    "wavefront", "block", "op",   "byte", "second", "flop"};

}  // namespace

std::optional<NcuUnit> ncu_unit(std::string_view unit) {
    if (unit.empty()) return NcuUnit{UnitKind::count, 1};
    if (unit == "%") return NcuUnit{UnitKind::percent, 1};
    // Clock rates: "cycle/second", "cycle/nsecond", "hz", "Ghz".
    if (unit.starts_with("cycle/") && unit.ends_with("second")) {
        const auto per = prefix_scale(unit.substr(6, unit.size() - 6 - 6));
        if (per) return NcuUnit{UnitKind::hertz, 1 / *per};
        return std::nullopt;
    }
    if (unit.size() >= 2 && (unit.ends_with("hz") || unit.ends_with("Hz"))) {
        const auto scale = prefix_scale(unit.substr(0, unit.size() - 2));
        if (scale) return NcuUnit{UnitKind::hertz, *scale};
        return std::nullopt;
    }
    // Times as ncu 2025 prints them with --print-units base: "ns" (also "us", "ms", "s").
    constexpr std::array<std::pair<std::string_view, double>, 4> k_times = {
        {{"ns", 1e-9}, {"us", 1e-6}, {"ms", 1e-3}, {"s", 1.0}}};
    for (const auto& [name, scale] : k_times)
        if (unit == name) return NcuUnit{UnitKind::seconds, scale};
    for (const std::string_view base : k_count_bases) {
        if (!unit.ends_with(base)) continue;
        const auto scale = prefix_scale(unit.substr(0, unit.size() - base.size()));
        if (!scale) continue;
        const UnitKind kind = base == "byte"     ? UnitKind::bytes
                              : base == "second" ? UnitKind::seconds
                                                 : UnitKind::count;
        return NcuUnit{kind, *scale};
    }
    return std::nullopt;
}

std::string_view to_string(UnitKind kind) {
    switch (kind) {
        case UnitKind::count:
            return "a count";
        case UnitKind::bytes:
            return "bytes";
        case UnitKind::seconds:
            return "a time";
        case UnitKind::hertz:
            return "a clock rate";
        case UnitKind::percent:
            return "a percentage";
    }
    return "a count";
}

}  // namespace flashscope::validate::detail
