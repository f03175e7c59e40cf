// Splitting per-load latencies into the near and far L2 partition.
#include "flashscope/ceilings/latency_split.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

using namespace flashscope::ceilings;

TEST(LatencySplit, FindsTwoGroupsAndTheirMedians) {
    // 600 loads at 250 +- 4 cycles and 400 at 420 +- 4, then 3 outliers above the 99th percentile.
    std::vector<double> v;
    for (int i = 0; i < 600; ++i) v.push_back(246 + i % 9);
    for (int i = 0; i < 400; ++i) v.push_back(416 + i % 9);
    for (int i = 0; i < 3; ++i) v.push_back(5000);
    const LatencySplit s = split_latencies(v);
    EXPECT_EQ(s.near_median, 250);
    EXPECT_EQ(s.far_median, 420);
    // The top 1 % (10 of 1003 loads) is left out: 3 outliers and 7 far loads.
    EXPECT_DOUBLE_EQ(s.far_fraction, 393.0 / 993.0);
    EXPECT_GT(s.threshold, 254);
    EXPECT_LT(s.threshold, 416);
}

TEST(LatencySplit, OneValueEverywhereIsOneGroup) {
    const LatencySplit s = split_latencies(std::vector<double>(100, 300));
    EXPECT_EQ(s.near_median, 300);
    EXPECT_EQ(s.far_median, 300);
    EXPECT_EQ(s.far_fraction, 0);
}

TEST(LatencySplit, NeedsTwoValues) {
    EXPECT_THROW(split_latencies({1}), std::invalid_argument);
}

TEST(LatencySplit, HistogramCountsEachBin) {
    const std::vector<double> v = {250, 255, 262, 420, 421, 439};
    EXPECT_EQ(latency_histogram(v, 20), "240-259:2 260-279:1 420-439:3");
}
