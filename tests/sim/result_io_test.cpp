#include "flashscope/sim/result_io.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "sim_test_support.hpp"

using namespace flashscope;
using namespace flashscope::sim;
using namespace flashscope::sim::testing;

TEST(ResultJson, HasTheSchemaAndExactlyTheSharedFieldNames) {
    const SimulationRequest req = request(Algorithm::naive, Model::cycle);
    const Result r = simulate(req);
    const boost::json::object o = result_to_json(r, req.gpu);
    EXPECT_EQ(o.at("schema").as_string(), "flashscope.result/1");
    EXPECT_EQ(o.at("algorithm").at("name").as_string(), "naive");
    EXPECT_EQ(o.at("algorithm").at("block_m").as_int64(), 64);
    const auto& totals = o.at("totals").as_object();
    // Every field the model has; the optional instruction fields only where it predicts them.
    for (const MetricInfo& info : metric_table())
        EXPECT_EQ(totals.contains(info.name), !info.optional) << info.name;
    EXPECT_EQ(totals.at("hbm_read_bytes").as_int64(), r.totals.hbm_read_bytes);
    const auto& kernels = o.at("kernels").as_array();
    ASSERT_EQ(kernels.size(), 3u);
    EXPECT_EQ(kernels[1].at("name").as_string(), "naive_softmax");
    EXPECT_EQ(kernels[1].at("hbm_write_bytes").as_int64(), r.kernels[1].metrics.hbm_write_bytes);
}

TEST(ResultCsv, OneValuePerColumnAndQuotedWhenNeeded) {
    const Result r = simulate(request(Algorithm::flash2));
    EXPECT_EQ(csv_columns().size(), csv_values(r).size());
    EXPECT_EQ(csv_line({"a", "b,c", "say \"hi\""}), "a,\"b,c\",\"say \"\"hi\"\"\"\n");
}

TEST(Timeline, CoversTheWholeRunWithUtilizationsInUnitRange) {
    SimulationRequest req = request(Algorithm::naive, Model::cycle);
    req.timeline = true;
    req.timeline_points = 50;
    const Result r = simulate(req);
    ASSERT_FALSE(r.timeline.empty());
    EXPECT_LE(r.timeline.size(), 3u * 100u);
    EXPECT_DOUBLE_EQ(r.timeline.front().t_begin_s, 0.0);
    EXPECT_NEAR(r.timeline.back().t_end_s, r.totals.time_s, 1e-12 * r.totals.time_s + 1e-15);
    for (const auto& s : r.timeline)
        for (double u : s.utilization) {
            EXPECT_GE(u, 0.0);
            EXPECT_LE(u, 1.0);
        }
}
