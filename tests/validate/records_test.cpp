#include <gtest/gtest.h>

#include <cmath>

#include "flashscope/validate/device_preset.hpp"
#include "flashscope/validate/join.hpp"

using namespace flashscope;
using namespace flashscope::validate;

namespace {

ConfigKey key(const std::string& kernel, std::int64_t block_m = 64) {
    AttentionProblem p;
    p.seq_q = p.seq_k = 1024;
    return {p, Algorithm::flash2, {block_m, 64, 4, 2}, kernel};
}

Metrics bytes(std::int64_t hbm_read) {
    Metrics m;
    m.hbm_read_bytes = hbm_read;
    return m;
}

}  // namespace

TEST(RelativeError, IsSignedAndRelativeToTheMeasurement) {
    EXPECT_DOUBLE_EQ(relative_error(110, 100), 0.10);
    EXPECT_DOUBLE_EQ(relative_error(90, 100), -0.10);
    EXPECT_DOUBLE_EQ(relative_error(0, 0), 0.0);
    EXPECT_TRUE(std::isnan(relative_error(5, 0)));
}

TEST(ValidationRecord, UnmeasuredFieldHasNoError) {
    ValidationRecord r;
    r.predicted = bytes(120);
    r.measured = bytes(100);
    EXPECT_TRUE(std::isnan(r.relative_error("hbm_read_bytes")));
    r.measured_fields.insert("hbm_read_bytes");
    EXPECT_NEAR(r.relative_error("hbm_read_bytes"), 0.2, 1e-12);
    EXPECT_TRUE(std::isnan(r.relative_error("no_such_metric")));
}

TEST(Join, MatchesOnConfigurationAndKernelName) {
    std::vector<PredictedKernel> predicted = {{key("naive_qk"), bytes(10)},
                                              {key("naive_softmax"), bytes(20)},
                                              {key("naive_pv"), bytes(30)}};
    std::vector<MeasuredKernel> measured(2);
    measured[0].key = key("naive_pv");
    measured[0].metrics = bytes(33);
    measured[0].fields = {"hbm_read_bytes"};
    measured[1].key = key("naive_qk");
    measured[1].metrics = bytes(11);
    const auto joined = join(predicted, measured);
    ASSERT_EQ(joined.records.size(), 2u);
    EXPECT_EQ(joined.records[0].key.kernel, "naive_pv");
    EXPECT_EQ(joined.records[0].predicted.hbm_read_bytes, 30);
    EXPECT_EQ(joined.records[0].measured.hbm_read_bytes, 33);
    EXPECT_TRUE(joined.records[0].is_measured("hbm_read_bytes"));
    EXPECT_EQ(joined.records[1].predicted.hbm_read_bytes, 10);
    ASSERT_EQ(joined.predicted_only.size(), 1u);
    EXPECT_EQ(joined.predicted_only[0].kernel, "naive_softmax");
    EXPECT_TRUE(joined.measured_only.empty());
}

TEST(Join, DifferentTilesDoNotJoin) {
    std::vector<PredictedKernel> predicted = {{key("flash2_fwd", 64), bytes(10)}};
    std::vector<MeasuredKernel> measured(1);
    measured[0].key = key("flash2_fwd", 128);
    const auto joined = join(predicted, measured);
    EXPECT_TRUE(joined.records.empty());
    EXPECT_EQ(joined.measured_only.size(), 1u);
    EXPECT_EQ(joined.predicted_only.size(), 1u);
}

TEST(DevicePreset, FindsPresetsFromCudaDeviceNames) {
    EXPECT_EQ(preset_for_device("NVIDIA H100 80GB HBM3"), "h100-sxm5");
    EXPECT_EQ(preset_for_device("NVIDIA H200"), "h200-sxm");
    EXPECT_EQ(preset_for_device("NVIDIA A100-SXM4-80GB"), "a100-sxm4-80gb");
    EXPECT_EQ(preset_for_device("NVIDIA A100-SXM4-40GB"), "a100-sxm4-40gb");
    EXPECT_FALSE(preset_for_device("NVIDIA H100 PCIe").has_value());
    EXPECT_FALSE(preset_for_device("NVIDIA GeForce RTX 4090").has_value());
}
