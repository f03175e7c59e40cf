#include "flashscope/validate/statistics.hpp"

#include <gtest/gtest.h>

#include <cmath>

using namespace flashscope;
using namespace flashscope::validate;

namespace {

ValidationRecord record(std::int64_t block_m, double predicted_time, double measured_time,
                        std::int64_t predicted_bytes, std::int64_t measured_bytes) {
    ValidationRecord r;
    r.key.problem.seq_q = r.key.problem.seq_k = 2048;
    r.key.algorithm = Algorithm::flash2;
    r.key.tile = {block_m, 64, 4, 2};
    r.key.kernel = "flash2_fwd";
    r.predicted.time_s = predicted_time;
    r.measured.time_s = measured_time;
    r.predicted.hbm_read_bytes = predicted_bytes;
    r.measured.hbm_read_bytes = measured_bytes;
    r.measured_fields = {"time_s", "hbm_read_bytes"};
    return r;
}

}  // namespace

TEST(Percentile, InterpolatesLinearly) {
    EXPECT_DOUBLE_EQ(percentile({3, 1, 2}, 0.5), 2.0);
    EXPECT_DOUBLE_EQ(percentile({1, 2, 3, 4}, 0.5), 2.5);
    EXPECT_NEAR(percentile({0, 10}, 0.9), 9.0, 1e-12);
    EXPECT_TRUE(std::isnan(percentile({}, 0.5)));
}

TEST(Spearman, PerfectReversedAndTied) {
    EXPECT_DOUBLE_EQ(spearman({1, 2, 3, 4}, {10, 20, 30, 40}), 1.0);
    EXPECT_DOUBLE_EQ(spearman({1, 2, 3, 4}, {4, 3, 2, 1}), -1.0);
    EXPECT_EQ(ranks({5, 1, 5, 3}), (std::vector<double>{3.5, 1, 3.5, 2}));
    // Monotone but non-linear still agrees perfectly.
    EXPECT_DOUBLE_EQ(spearman({1, 2, 3}, {1, 100, 101}), 1.0);
    EXPECT_NEAR(spearman({1, 2, 3, 4}, {1, 3, 2, 4}), 0.8, 1e-12);
    EXPECT_TRUE(std::isnan(spearman({1, 1, 1}, {1, 2, 3})));
}

TEST(SummarizeErrors, MedianAndP90OfAbsoluteRelativeErrors) {
    std::vector<ValidationRecord> records;
    // time errors: +10%, -20%, +30%, -40%, +50%
    const double errors[] = {0.1, -0.2, 0.3, -0.4, 0.5};
    for (int i = 0; i < 5; ++i)
        records.push_back(record(16 * (i + 1), 1.0 + errors[i], 1.0, 100, 100));
    const auto summary = summarize_errors(records);
    const MetricErrorSummary* time = nullptr;
    const MetricErrorSummary* hbm = nullptr;
    for (const auto& s : summary) {
        if (s.metric == "time_s") time = &s;
        if (s.metric == "hbm_read_bytes") hbm = &s;
    }
    ASSERT_NE(time, nullptr);
    ASSERT_NE(hbm, nullptr);
    EXPECT_EQ(time->count, 5);
    EXPECT_NEAR(time->median_abs, 0.3, 1e-12);
    EXPECT_NEAR(time->p90_abs, 0.46, 1e-12);
    EXPECT_NEAR(time->median_signed, 0.1, 1e-12);
    EXPECT_DOUBLE_EQ(hbm->median_abs, 0.0);
    for (const auto& s : summary) EXPECT_NE(s.metric, "sram_read_bytes");  // never measured
}

TEST(RankAgreement, ComparesTileOrderWithinAConfiguration) {
    std::vector<ValidationRecord> records = {
        record(16, 1.0, 10.0, 400, 300), record(32, 2.0, 20.0, 300, 200),
        record(48, 3.0, 30.0, 200, 400), record(64, 4.0, 40.0, 100, 100)};
    // A second configuration with only two tiles is too small to rank.
    auto other = record(16, 1.0, 2.0, 1, 1);
    other.key.problem.seq_q = other.key.problem.seq_k = 4096;
    records.push_back(other);
    const auto ranks_found = rank_agreement(records);
    const RankAgreement* time = nullptr;
    const RankAgreement* hbm = nullptr;
    for (const auto& r : ranks_found) {
        if (r.metric == "time_s") time = &r;
        if (r.metric == "hbm_read_bytes") hbm = &r;
    }
    ASSERT_NE(time, nullptr);
    EXPECT_EQ(time->groups, 1);
    EXPECT_DOUBLE_EQ(time->mean_rho, 1.0);
    ASSERT_NE(hbm, nullptr);
    EXPECT_NEAR(hbm->mean_rho, spearman({400, 300, 200, 100}, {300, 200, 400, 100}), 1e-12);
}

TEST(SummarizeErrors, LeavesTheDirtyAtEndPseudoRecordsOut) {
    std::vector<ValidationRecord> records = {record(16, 1.1, 1.0, 100, 100)};
    auto dirty = record(16, 5.0, 1.0, 100, 100);
    dirty.key.kernel = k_l2_dirty_at_end;
    records.push_back(dirty);
    const auto summary = summarize_errors(records);
    ASSERT_FALSE(summary.empty());
    for (const auto& s : summary) EXPECT_EQ(s.count, 1) << s.metric;
}

// A pass's row kernel does not depend on the tile: its near-equal predictions rank at random
// (here exactly reversed), while the pass's time, what a tile choice changes, ranks right.
TEST(RankAgreement, PassTimeSumsTheKernelsOfEachTile) {
    std::vector<ValidationRecord> records;
    const double main_predicted[] = {1.0, 2.0, 3.0}, main_measured[] = {1.5, 2.5, 3.5};
    const double row_predicted[] = {0.1002, 0.1001, 0.1000}, row_measured[] = {0.10, 0.11, 0.12};
    for (int i = 0; i < 3; ++i) {
        ValidationRecord main = record(16 * (i + 1), main_predicted[i], main_measured[i], 1, 1);
        ValidationRecord row = main;
        row.key.kernel = "flash2_bwd_preprocess";
        row.predicted.time_s = row_predicted[i];
        row.measured.time_s = row_measured[i];
        records.push_back(main);
        records.push_back(row);
    }
    double kernel_min = 2, pass_rho = 2;
    std::int64_t pass_groups = 0;
    for (const auto& r : rank_agreement(records)) {
        if (r.metric == "time_s") kernel_min = r.min_rho;
        if (r.metric == k_pass_time) {
            pass_rho = r.mean_rho;
            pass_groups = r.groups;
        }
    }
    EXPECT_DOUBLE_EQ(kernel_min, -1.0);
    EXPECT_EQ(pass_groups, 1);
    EXPECT_DOUBLE_EQ(pass_rho, 1.0);
    // A tile whose row kernel went unmeasured leaves the pass with two tiles: too few to rank.
    records.back().measured_fields = {"hbm_read_bytes"};
    for (const auto& r : rank_agreement(records)) EXPECT_NE(r.metric, k_pass_time);
}
