#pragma once
// Byte, element and cycle counts in checked 64-bit arithmetic: a count that would pass 2^63 - 1
// is an error (CountOverflow), never a wrapped number. `Count` is the value type for totals that
// grow with the problem (a grid's bytes, a footprint); checked_add / checked_mul serve plain
// int64 code. Both cost one predictable branch per operation.
#include <compare>
#include <cstdint>
#include <string>

#include "flashscope/core/error.hpp"

namespace flashscope {

// A count too large for 64 bits. field() names the quantity, value() the operation that
// overflowed ("a * b"); it is a ConfigError because the problem, not the machine, is at fault.
class CountOverflow : public ConfigError {
public:
    CountOverflow(std::string quantity, std::string operation);
    CountOverflow(std::string quantity, std::string operation, std::string limit);
};

namespace detail {
[[noreturn]] void throw_count_overflow(const char* quantity, std::int64_t a, char op,
                                       std::int64_t b);
}  // namespace detail

inline std::int64_t checked_add(std::int64_t a, std::int64_t b, const char* quantity = "count") {
    std::int64_t r;
    if (__builtin_add_overflow(a, b, &r)) [[unlikely]]
        detail::throw_count_overflow(quantity, a, '+', b);
    return r;
}
inline std::int64_t checked_sub(std::int64_t a, std::int64_t b, const char* quantity = "count") {
    std::int64_t r;
    if (__builtin_sub_overflow(a, b, &r)) [[unlikely]]
        detail::throw_count_overflow(quantity, a, '-', b);
    return r;
}
inline std::int64_t checked_mul(std::int64_t a, std::int64_t b, const char* quantity = "count") {
    std::int64_t r;
    if (__builtin_mul_overflow(a, b, &r)) [[unlikely]]
        detail::throw_count_overflow(quantity, a, '*', b);
    return r;
}

// A 64-bit count whose + - * throw CountOverflow. Plain integers convert in implicitly, so a
// formula such as `2 * q_bytes + kv_bytes` keeps its shape; value() takes the number out.
class Count {
public:
    constexpr Count() = default;
    constexpr Count(std::int64_t value) : m_value(value) {}  // NOLINT: implicit by design

    constexpr std::int64_t value() const { return m_value; }
    explicit operator double() const { return double(m_value); }

    Count& operator+=(Count o) {
        m_value = checked_add(m_value, o.m_value);
        return *this;
    }
    Count& operator-=(Count o) {
        m_value = checked_sub(m_value, o.m_value);
        return *this;
    }
    Count& operator*=(Count o) {
        m_value = checked_mul(m_value, o.m_value);
        return *this;
    }
    friend Count operator+(Count a, Count b) { return a += b; }
    friend Count operator-(Count a, Count b) { return a -= b; }
    friend Count operator*(Count a, Count b) { return a *= b; }
    friend constexpr bool operator==(Count a, Count b) = default;
    friend constexpr std::strong_ordering operator<=>(Count a, Count b) = default;

private:
    std::int64_t m_value = 0;
};

// The largest count: 2^63 - 1.
inline constexpr std::int64_t k_max_count = INT64_MAX;

}  // namespace flashscope
