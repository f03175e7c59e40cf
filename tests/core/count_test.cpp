// Checked 64-bit counts: exact up to 2^63 - 1, an error naming the operation past it.
#include "flashscope/core/count.hpp"

#include <gtest/gtest.h>

using namespace flashscope;

namespace {

CountOverflow overflow_of(auto&& operation) {
    try {
        operation();
    } catch (const CountOverflow& e) {
        return e;
    }
    ADD_FAILURE() << "expected a CountOverflow";
    return CountOverflow("", "");
}

constexpr std::int64_t k_2_31 = std::int64_t{1} << 31, k_2_32 = std::int64_t{1} << 32;

}  // namespace

TEST(CheckedArithmetic, IsExactUpToTheLargestCount) {
    EXPECT_EQ(checked_add(k_max_count - 1, 1), k_max_count);
    EXPECT_EQ(checked_mul(k_2_32, k_2_31 - 1), k_max_count - k_2_32 + 1);  // 2^63 - 2^32
    EXPECT_EQ(checked_sub(-k_max_count, 1), INT64_MIN);
    EXPECT_EQ(checked_mul(-k_2_32, k_2_31), INT64_MIN);
}

TEST(CheckedArithmetic, OverflowNamesTheQuantityAndTheOperation) {
    const CountOverflow mul = overflow_of([] { checked_mul(k_2_32, k_2_31, "sram_read_bytes"); });
    EXPECT_EQ(mul.field(), "sram_read_bytes");
    EXPECT_EQ(mul.value(), "4294967296 * 2147483648");
    EXPECT_NE(mul.limit().find("2^63-1"), std::string::npos);
    EXPECT_EQ(overflow_of([] { checked_add(k_max_count, 1); }).value(), "9223372036854775807 + 1");
    EXPECT_EQ(overflow_of([] { checked_sub(INT64_MIN, 1); }).value(), "-9223372036854775808 - 1");
    // A usage error: the CLI reports it like any bad value.
    EXPECT_NO_THROW(static_cast<void>(dynamic_cast<const ConfigError&>(mul)));
}

TEST(Count, FormulasKeepTheirShapeAndAreChecked) {
    const Count q = 3;
    EXPECT_EQ((2 * q + 5) * 4, Count(44));
    EXPECT_EQ((Count(10) - 4).value(), 6);
    EXPECT_LT(Count(1), Count(2));
    Count sum = k_max_count - 2;
    sum += 2;
    EXPECT_EQ(sum.value(), k_max_count);
    EXPECT_EQ(overflow_of([&] { sum += 1; }).value(), "9223372036854775807 + 1");
    EXPECT_THROW(2 * Count(std::int64_t{1} << 62), CountOverflow);
    EXPECT_DOUBLE_EQ(double(Count(k_2_32) * (k_2_31 / 2)), 4611686018427387904.0);  // 2^62
}
