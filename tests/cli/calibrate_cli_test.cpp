// flashscope calibrate's command line: usage errors come before the device is touched (so they
// run without a GPU), and a build without CUDA answers in one line with exit status 2.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "process.hpp"
#include "temp_dir.hpp"

namespace {

using flashscope::sweep::test::lines;
using flashscope::sweep::test::ProcessResult;
using flashscope::sweep::test::run_flashscope;
using flashscope::sweep::test::TempDir;

#if FLASHSCOPE_TEST_CUDA_BUILD
TEST(CliCalibrate, BadFlagsAreOneLineUsageErrorsBeforeAnyMeasurement) {
    const TempDir dir;
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"calibrate", "--runs", "0"},
             {"calibrate", "--name", "my gpu"},
             {"calibrate", "-o", dir.path("missing/x.yaml")},
             {"calibrate", "--dirty-limit-from", "no-such-gpu"}}) {
        const ProcessResult r = run_flashscope(args);
        EXPECT_EQ(r.exit_code, 2) << args[1] << ": " << r.err;
        EXPECT_EQ(lines(r.err), 1) << r.err;
        EXPECT_EQ(r.err.find("calibrate: ["), std::string::npos) << "a benchmark ran: " << r.err;
    }
    EXPECT_TRUE(std::filesystem::is_empty(dir.path("")));
}
#else
TEST(CliCalibrate, WithoutCudaItSaysSoInOneLineWithExitTwo) {
    const ProcessResult r = run_flashscope({"calibrate", "-o", "/tmp/never-written.yaml"});
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(lines(r.err), 1) << r.err;
    EXPECT_NE(r.err.find("no CUDA"), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty());
    EXPECT_FALSE(std::filesystem::exists("/tmp/never-written.yaml"));
}
#endif

}  // namespace
