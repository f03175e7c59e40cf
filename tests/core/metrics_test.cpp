#include "flashscope/core/metrics.hpp"

#include <gtest/gtest.h>

using namespace flashscope;

TEST(Metrics, SumAddsTrafficAndTimeButTakesMaxFootprint) {
    Metrics a, b;
    a.hbm_read_bytes = 10;
    a.time_s = 1;
    a.hbm_footprint_bytes = 100;
    b.hbm_read_bytes = 5;
    b.time_s = 2;
    b.hbm_footprint_bytes = 70;
    a += b;
    EXPECT_EQ(a.hbm_read_bytes, 15);
    EXPECT_DOUBLE_EQ(a.time_s, 3);
    EXPECT_EQ(a.hbm_footprint_bytes, 100);
}

TEST(MetricTable, FindsEveryFieldByNameAndFlopsIsTheSum) {
    Metrics m;
    m.flops_matmul = 3;
    m.flops_softmax = 4;
    m.sram_write_bytes = 9;
    EXPECT_DOUBLE_EQ(find_metric("flops")->get(m), 7);
    EXPECT_DOUBLE_EQ(find_metric("sram_write_bytes")->get(m), 9);
    EXPECT_FALSE(find_metric("nonsense").has_value());
    for (const MetricInfo& info : metric_table()) EXPECT_TRUE(find_metric(info.name).has_value());
}
