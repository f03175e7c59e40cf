// CUDA-event timing measures the GPU, not the host's launch calls (StreamHold).
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <memory>
#include <thread>

#include "copy_kernel.cuh"
#include "flashscope/profiler/device_info.hpp"
#include "flashscope/profiler/event_timer.hpp"
#include "flashscope/profiler/profiler_error.hpp"
#include "flashscope/profiler/stream_hold.hpp"

using namespace flashscope::profiler;
using namespace std::chrono_literals;

namespace {

class EventTimerGpu : public ::testing::Test {
protected:
    void SetUp() override {
        if (!device_present()) GTEST_SKIP() << "no CUDA device";
        ASSERT_EQ(cudaStreamCreate(&m_stream), cudaSuccess);
        m_copy = std::make_unique<test_kit::CopyBuffers>(1 << 20);
    }
    void TearDown() override {
        if (m_stream) cudaStreamDestroy(m_stream);
    }
    // The median seconds of a 1 MiB copy whose launch call first sleeps `host` on the host.
    double copy_seconds(std::chrono::milliseconds host) {
        const std::vector<RangeLaunch> launches{{"copy", [this, host](cudaStream_t s) {
                                                     std::this_thread::sleep_for(host);
                                                     m_copy->copy(s);
                                                 }}};
        return median_launch_seconds(launches, 5, nullptr, {}, m_stream).at(0);
    }

    cudaStream_t m_stream = nullptr;
    std::unique_ptr<test_kit::CopyBuffers> m_copy;
};

}  // namespace

// Timed on an idle GPU, a 3 ms host call before the launch would be timed with it.
TEST_F(EventTimerGpu, TheHostsLaunchCallIsNotTimed) {
    const double quick = copy_seconds(0ms);
    const double slow = copy_seconds(3ms);
    EXPECT_LT(quick, 1e-3);
    EXPECT_LT(slow, 1e-3) << "the host's 3 ms were timed";
    EXPECT_LT(std::abs(slow - quick), 2e-4) << quick << " s against " << slow << " s";
}

TEST_F(EventTimerGpu, AHoldLetGoInTimeDoesNotTimeOut) {
    StreamHold hold(0.5);
    hold.hold(m_stream);
    hold.release();
    ASSERT_EQ(cudaStreamSynchronize(m_stream), cudaSuccess);
    EXPECT_FALSE(hold.timed_out());
}

// A host that takes longer than the hold's limit to queue its launches is told, not timed.
TEST_F(EventTimerGpu, AHoldGivesUpAndSaysSo) {
    StreamHold hold(0.005);
    hold.hold(m_stream);
    std::this_thread::sleep_for(50ms);
    hold.release();
    ASSERT_EQ(cudaStreamSynchronize(m_stream), cudaSuccess);
    EXPECT_TRUE(hold.timed_out());
    // The next hold starts afresh.
    hold.hold(m_stream);
    hold.release();
    ASSERT_EQ(cudaStreamSynchronize(m_stream), cudaSuccess);
    EXPECT_FALSE(hold.timed_out());
}
