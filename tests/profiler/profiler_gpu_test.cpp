#include <gtest/gtest.h>

#include <cmath>
#include <memory>

#include "copy_kernel.cuh"
#include "flashscope/profiler/counter_conversion.hpp"
#include "flashscope/profiler/counter_names.hpp"
#include "flashscope/profiler/profiler_error.hpp"
#include "flashscope/profiler/range_profiler.hpp"

using namespace flashscope::profiler;

namespace {

constexpr std::int64_t k_copy_bytes = 256ll << 20;

class ProfilerGpu : public ::testing::Test {
protected:
    void SetUp() override {
        if (!device_present()) GTEST_SKIP() << "no CUDA device";
        try {
            m_profiler = std::make_unique<RangeProfiler>();
        } catch (const ProfilerError& e) {
            if (e.kind() == ProfilerErrorKind::insufficient_privileges ||
                e.kind() == ProfilerErrorKind::profiler_busy)
                GTEST_SKIP() << e.what();
            throw;
        }
        m_copy = std::make_unique<test_kit::CopyBuffers>(k_copy_bytes);
    }

    std::vector<RangeLaunch> launches() {
        return {{"copy", [this](cudaStream_t s) { m_copy->copy(s); }}};
    }

    std::unique_ptr<RangeProfiler> m_profiler;
    std::unique_ptr<test_kit::CopyBuffers> m_copy;
};

double relative(double measured, double expected) {
    return std::abs(measured - expected) / expected;
}

}  // namespace

TEST_F(ProfilerGpu, CopyKernelReadsAndWritesItsSizeInDramWithinTwoPercent) {
    const auto result = m_profiler->profile(launches());
    ASSERT_EQ(result.ranges.size(), 1u);
    const auto m = metrics_from_counters(result.ranges[0].counters);
    EXPECT_LT(relative(double(m.hbm_read_bytes), double(k_copy_bytes)), 0.02) << m.hbm_read_bytes;
    EXPECT_LT(relative(double(m.hbm_write_bytes), double(k_copy_bytes)), 0.02) << m.hbm_write_bytes;
    EXPECT_LT(relative(double(m.l2_read_bytes), double(k_copy_bytes)), 0.02) << m.l2_read_bytes;
    EXPECT_LT(relative(double(m.l2_write_bytes), double(k_copy_bytes)), 0.02) << m.l2_write_bytes;
    EXPECT_GT(sm_clock_hz(result.ranges[0].counters), 5e8);
    EXPECT_GT(result.ranges[0].event_seconds, 0.0);
}

TEST_F(ProfilerGpu, CoreCountersComeFromOnePass) {
    const auto result = m_profiler->profile(launches());
    ASSERT_FALSE(result.sessions.empty());
    EXPECT_EQ(result.sessions.front().passes, 1);
    EXPECT_EQ(result.sessions.front().group_names.front(), "core");
    EXPECT_GE(result.total_passes(), 1);
}

TEST_F(ProfilerGpu, RepeatedRunsAgree) {
    ProfileOptions options;
    options.timing_runs = 0;
    const auto a =
        metrics_from_counters(m_profiler->profile(launches(), options).ranges[0].counters);
    const auto b =
        metrics_from_counters(m_profiler->profile(launches(), options).ranges[0].counters);
    EXPECT_LT(relative(double(b.hbm_read_bytes), double(a.hbm_read_bytes)), 0.01);
    EXPECT_LT(relative(double(b.hbm_write_bytes), double(a.hbm_write_bytes)), 0.01);
    EXPECT_LT(relative(double(b.l2_read_bytes), double(a.l2_read_bytes)), 0.01);
}

TEST_F(ProfilerGpu, EachLaunchIsItsOwnRange) {
    auto list = launches();
    list.push_back({"copy_again", [this](cudaStream_t s) { m_copy->copy(s); }});
    const auto result = m_profiler->profile(list);
    ASSERT_EQ(result.ranges.size(), 2u);
    EXPECT_EQ(result.ranges[1].name, "copy_again");
    const auto m = metrics_from_counters(result.ranges[1].counters);
    EXPECT_LT(relative(double(m.hbm_read_bytes), double(k_copy_bytes)), 0.02);
}

TEST_F(ProfilerGpu, UnknownRequiredCounterIsAnErrorNotACrash) {
    ProfileOptions options;
    options.groups = {{"core", {"dram__bytes_read.sum", "no_such__counter.sum"}, true}};
    try {
        m_profiler->profile(launches(), options);
        FAIL() << "expected ProfilerError";
    } catch (const ProfilerError& e) {
        EXPECT_EQ(e.kind(), ProfilerErrorKind::unsupported_metric);
        EXPECT_NE(std::string(e.what()).find("no_such__counter.sum"), std::string::npos);
    }
}
