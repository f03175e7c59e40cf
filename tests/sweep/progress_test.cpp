#include "flashscope/sweep/progress.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace flashscope::sweep {
namespace {

TEST(Progress, TextShowsDoneTotalRateAndTimeLeft) {
    EXPECT_EQ(progress_text(120, 480, 40.0), "120/480 25.0% 40.0 points/s ETA 0:00:09");
    EXPECT_EQ(progress_text(0, 480, 0.0), "0/480 0.0% 0.0 points/s ETA --:--:--");
    EXPECT_EQ(format_duration(3725.4), "1:02:05");
}

TEST(Progress, BarFillsInProportion) {
    EXPECT_EQ(progress_bar(5, 10, 10), "[=====>    ]");
    EXPECT_EQ(progress_bar(10, 10, 4), "[====]");
}

TEST(Progress, PlainOutputIsWholeLinesAndQuietIsSilent) {
    std::ostringstream plain, quiet;
    Progress p(plain, false, false, 10, 2, std::chrono::milliseconds(0));
    p.update(5);
    p.finish(10);
    const std::string text = plain.str();
    EXPECT_EQ(text.find('\r'), std::string::npos);
    EXPECT_EQ(text.rfind("sweep: 10/10 100.0%", std::string::npos), text.rfind("sweep: "));
    EXPECT_EQ(text.back(), '\n');
    Progress q(quiet, true, true, 10, 0);
    q.update(5);
    q.finish(10);
    EXPECT_TRUE(quiet.str().empty());
}

}  // namespace
}  // namespace flashscope::sweep
