// Real Nsight Compute reports (H200, ncu 2025.3.1, PyTorch 2.11 SDPA, batch 1 x heads 8 x seq 1024
// x d 128, bf16; scripts/ncu-fixtures.sh, 2026-11-30): both pages parse to the same launches, and
// every launch yields its duration and DRAM bytes in base units.
#include <gtest/gtest.h>

#include <string>

#include "flashscope/validate/ncu_metrics.hpp"
#include "flashscope/validate/ncu_report.hpp"
#include "ncu_test_support.hpp"

using namespace flashscope::validate;

class NcuH200Report : public ::testing::TestWithParam<const char*> {};

TEST_P(NcuH200Report, BothPagesGiveTheSameLaunchesWithTimesAndDramBytes) {
    const std::string name = GetParam();
    const NcuReport raw = read_ncu_report(ncu_fixture("h200/" + name + ".raw.csv"));
    const NcuReport details = read_ncu_report(ncu_fixture("h200/" + name + ".details.csv"));
    ASSERT_FALSE(raw.kernels.empty());
    ASSERT_EQ(raw.kernels.size(), details.kernels.size());
    for (std::size_t i = 0; i < raw.kernels.size(); ++i) {
        EXPECT_EQ(raw.kernels[i].name, details.kernels[i].name);
        const NcuMeasurement m = measure_ncu_kernel(raw.kernels[i], raw.origin);
        // A kernel of this problem runs for microseconds, not nanoseconds or seconds: the unit
        // ("ns" in these reports) was read.
        EXPECT_GT(m.metrics.time_s, 5e-7) << raw.kernels[i].name;
        EXPECT_LT(m.metrics.time_s, 1e-2) << raw.kernels[i].name;
        EXPECT_GT(m.metrics.hbm_read_bytes + m.metrics.hbm_write_bytes, 0) << raw.kernels[i].name;
        const NcuMeasurement d = measure_ncu_kernel(details.kernels[i], details.origin);
        EXPECT_NEAR(d.metrics.time_s, m.metrics.time_s, 1e-3 * m.metrics.time_s)
            << raw.kernels[i].name;
    }
}

INSTANTIATE_TEST_SUITE_P(PyTorchSdpa, NcuH200Report,
                         ::testing::Values("sdpa_flash_fwd", "sdpa_flash_bwd", "sdpa_cudnn_fwd"));
