#pragma once
// Internal: the pieces of ncu's CSV text: quoted fields, numbers with thousands separators, and
// units with their scale to the base unit.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace flashscope::validate::detail {

// Fields of one CSV line ("a","b ""c""",d); nullopt when a quote is left open.
std::optional<std::vector<std::string>> csv_fields(std::string_view line);

// "1,234,567.5" -> 1234567.5; nullopt for text, "n/a" and empty values.
std::optional<double> ncu_number(std::string_view text);

// What a unit measures, and the factor to its base unit (bytes, seconds, Hz, a count).
enum class UnitKind { count, bytes, seconds, hertz, percent };
struct NcuUnit {
    UnitKind kind = UnitKind::count;
    double scale = 1;
};
// "Mbyte" -> {bytes, 1e6}, "usecond" -> {seconds, 1e-6}, "cycle/nsecond" -> {hertz, 1e9},
// "Ksector" -> {count, 1e3}, "" -> {count, 1}; nullopt for what it cannot read.
std::optional<NcuUnit> ncu_unit(std::string_view unit);
std::string_view to_string(UnitKind kind);

}  // namespace flashscope::validate::detail
