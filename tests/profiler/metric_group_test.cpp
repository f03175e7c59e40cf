#include "flashscope/profiler/metric_group.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "flashscope/core/error.hpp"
#include "flashscope/profiler/counter_names.hpp"
#include "flashscope/profiler/l2_protocol.hpp"

using namespace flashscope::profiler;

namespace {

bool contains(const std::vector<std::string>& v, std::string_view s) {
    return std::find(v.begin(), v.end(), std::string(s)) != v.end();
}

// A fake chip: every counter costs `weight` slots, one pass holds `capacity` slots.
PassCounter slots(std::int64_t capacity) {
    return [capacity](const std::vector<std::string>& counters) {
        const auto n = static_cast<std::int64_t>(counters.size());
        return (n + capacity - 1) / capacity;
    };
}

}  // namespace

TEST(MetricGroups, CoreGroupHoldsDramBytesDurationAndClockAndIsRequired) {
    const auto& groups = default_metric_groups();
    ASSERT_FALSE(groups.empty());
    const auto& core = groups.front();
    EXPECT_EQ(core.name, "core");
    EXPECT_TRUE(core.required);
    EXPECT_TRUE(contains(core.counters, counters::dram_read_bytes));
    EXPECT_TRUE(contains(core.counters, counters::dram_write_bytes));
    EXPECT_TRUE(contains(core.counters, counters::duration_ns));
    EXPECT_TRUE(contains(core.counters, counters::sm_clock_hz));
    for (std::size_t i = 1; i < groups.size(); ++i)
        EXPECT_FALSE(groups[i].required) << groups[i].name;
}

TEST(MetricGroups, AllCountersHasNoDuplicates) {
    std::vector<MetricGroup> groups = {{"a", {"x", "y"}, true}, {"b", {"y", "z"}, false}};
    EXPECT_EQ(all_counters(groups), (std::vector<std::string>{"x", "y", "z"}));
}

TEST(PlanSessions, MergesEverythingWhenOnePassHoldsIt) {
    const auto plans = plan_sessions(default_metric_groups(), slots(1000));
    ASSERT_EQ(plans.size(), 1u);
    EXPECT_EQ(plans[0].passes, 1);
    EXPECT_EQ(plans[0].group_names.size(), default_metric_groups().size());
    EXPECT_EQ(plans[0].counters.size(), all_counters(default_metric_groups()).size());
}

TEST(PlanSessions, StartsANewSessionWhenMergingWouldNeedASecondPass) {
    std::vector<MetricGroup> groups = {{"core", {"a", "b", "c"}, true},
                                       {"g1", {"d"}, false},
                                       {"g2", {"e", "f"}, false},
                                       {"g3", {"g"}, false}};
    const auto plans = plan_sessions(groups, slots(4));
    ASSERT_EQ(plans.size(), 2u);
    EXPECT_EQ(plans[0].group_names, (std::vector<std::string>{"core", "g1"}));
    EXPECT_EQ(plans[0].passes, 1);
    EXPECT_EQ(plans[1].group_names, (std::vector<std::string>{"g2", "g3"}));
    EXPECT_EQ(plans[1].counters, (std::vector<std::string>{"e", "f", "g"}));
}

TEST(PlanSessions, CoreCountersStayTogetherInTheFirstSession) {
    const auto plans = plan_sessions(default_metric_groups(), slots(6));
    ASSERT_GE(plans.size(), 2u);
    for (const auto& counter : default_metric_groups().front().counters)
        EXPECT_TRUE(contains(plans[0].counters, counter)) << counter;
    for (std::size_t i = 1; i < plans.size(); ++i)
        EXPECT_FALSE(contains(plans[i].counters, counters::dram_read_bytes));
}

TEST(PlanSessions, ReportsPassesOfAGroupTooBigForOnePass) {
    std::vector<MetricGroup> groups = {{"big", {"a", "b", "c", "d", "e"}, false}};
    const auto plans = plan_sessions(groups, slots(2));
    ASSERT_EQ(plans.size(), 1u);
    EXPECT_EQ(plans[0].passes, 3);
}

TEST(RangeLayout, IsolatedFlushesAndDrainsEveryLaunch) {
    const auto layout = range_layout(3, L2Protocol::isolated);
    EXPECT_EQ(layout.range_count, 6u);
    EXPECT_EQ(layout.kernel_range, (std::vector<std::size_t>{0, 2, 4}));
    EXPECT_EQ(layout.drain_range[1], std::optional<std::size_t>(3));
    EXPECT_EQ(layout.flush_before, (std::vector<bool>{true, true, true}));
}

TEST(RangeLayout, ChainedFlushesOnceAndDrainsAfterTheLast) {
    const auto layout = range_layout(3, L2Protocol::chained);
    EXPECT_EQ(layout.range_count, 4u);
    EXPECT_EQ(layout.kernel_range, (std::vector<std::size_t>{0, 1, 2}));
    EXPECT_FALSE(layout.drain_range[0].has_value());
    EXPECT_EQ(layout.drain_range[2], std::optional<std::size_t>(3));
    EXPECT_EQ(layout.flush_before, (std::vector<bool>{true, false, false}));
}

TEST(RangeLayout, NoneHasOnlyKernelRanges) {
    const auto layout = range_layout(2, L2Protocol::none);
    EXPECT_EQ(layout.range_count, 2u);
    EXPECT_EQ(layout.flush_before, (std::vector<bool>{false, false}));
    EXPECT_THROW(parse_l2_protocol("warm"), flashscope::ConfigError);
    EXPECT_EQ(parse_l2_protocol("chained"), L2Protocol::chained);
}
