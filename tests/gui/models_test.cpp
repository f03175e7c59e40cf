// Every model passes QAbstractItemModelTester with real data and holds the simulator's numbers.
#include <gtest/gtest.h>

#include <QAbstractItemModelTester>
#include <cmath>

#include "flashscope/sim/simulate.hpp"
#include "flashscope/sim/tile_advisor.hpp"
#include "gui_test_support.hpp"
#include "memory_hierarchy_model.hpp"
#include "roofline_model.hpp"
#include "scaling_model.hpp"
#include "simulation_snapshot.hpp"
#include "tile_sweep_model.hpp"
#include "timeline_model.hpp"
#include "validation_model.hpp"

namespace flashscope::gui {
namespace {

using Tester = QAbstractItemModelTester;

GuiConfiguration small_configuration() {
    GuiConfiguration c;
    c.problem.batch = 1;
    c.problem.heads = 8;
    c.problem.kv_heads = 8;
    c.problem.seq_q = c.problem.seq_k = 1024;
    return c;
}

const SimulationSnapshot& snapshot() {
    static const SimulationSnapshot snap = compute_snapshot(small_configuration(), {});
    return snap;
}

TEST(TileSweepModel, PassesTheModelTesterAndHoldsSimulatedBytes) {
    TileSweepModel model;
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    model.set_sweep(snapshot().tiles);
    ASSERT_EQ(model.rowCount(), 256);
    ASSERT_EQ(model.columnCount(), TileSweepModel::column_count);
    // Row of block_m 128, block_n 64: rows run over block_n fastest, 16 sizes each.
    const int row = (128 / 16 - 1) * 16 + (64 / 16 - 1);
    EXPECT_EQ(model.value(row, TileSweepModel::block_m), 128);
    EXPECT_EQ(model.value(row, TileSweepModel::block_n), 64);
    auto request = make_request(small_configuration(), sim::gpu_preset("h100-sxm5"));
    request.tile.block_m = 128;
    request.tile.block_n = 64;
    const auto expected = sim::simulate(request).totals;
    EXPECT_DOUBLE_EQ(model.value(row, TileSweepModel::hbm_bytes),
                     static_cast<double>(expected.hbm_read_bytes + expected.hbm_write_bytes));
    EXPECT_DOUBLE_EQ(model.value(row, TileSweepModel::time_s), expected.time_s);
    // 256 x 256 at d = 128 needs more than 255 registers per thread: infeasible, with the reason.
    const int last = model.rowCount() - 1;
    EXPECT_FALSE(model.data(model.index(last, TileSweepModel::feasible), Qt::UserRole).toBool());
    EXPECT_TRUE(std::isnan(model.value(last, TileSweepModel::time_s)));
    EXPECT_TRUE(model.data(model.index(last, TileSweepModel::reason))
                    .toString()
                    .contains(QStringLiteral("registers")));
    EXPECT_TRUE(model.tooltip(last).contains(QStringLiteral("infeasible")));
    // A feasible tile's hover ends with the advisor's line of why (flashscope tiles says the same).
    EXPECT_TRUE(model.tooltip(row).endsWith(
        QString::fromStdString(sim::explain_tile(sim::simulate(request), request.gpu))
            .toHtmlEscaped()))
        << model.tooltip(row).toStdString();
}

TEST(MemoryHierarchyModel, PassesTheModelTesterAndComputesFractionsOfPeak) {
    MemoryHierarchyModel model;
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    const auto& snap = snapshot();
    const auto* naive = snap.result_of(Algorithm::naive);
    ASSERT_NE(naive, nullptr);
    model.set_results(snap.gpu, *naive, *snap.tiled());
    ASSERT_EQ(model.rowCount(), MemoryHierarchyModel::row_count);
    const double bytes =
        static_cast<double>(naive->totals.hbm_read_bytes + naive->totals.hbm_write_bytes);
    EXPECT_DOUBLE_EQ(model.amount(MemoryHierarchyModel::hbm_link, 0), bytes);
    EXPECT_DOUBLE_EQ(model.fraction(MemoryHierarchyModel::hbm_link, 0),
                     bytes / naive->totals.time_s / snap.gpu.hbm_bytes_per_s);
    EXPECT_GT(model.amount(MemoryHierarchyModel::footprint, 0),
              model.amount(MemoryHierarchyModel::footprint, 1));
    model.set_results(snap.gpu, std::nullopt, std::nullopt);
    EXPECT_EQ(model.rowCount(), 0);
}

TEST(ScalingModel, PassesTheModelTesterAndNaiveOutgrowsMemory) {
    ScalingModel model;
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    model.set_sweep(snapshot().scaling);
    ASSERT_EQ(model.rowCount(), static_cast<int>(scaling_seqs().size()));
    const auto& sweep = model.sweep();
    ASSERT_EQ(sweep.algorithms, all_algorithms());
    EXPECT_EQ(model.columnCount(),
              1 + static_cast<int>(algorithm_count()) * ScalingModel::quantity_count);
    ASSERT_GT(sweep.naive_limit_seq, 0);
    // Footprint at the limit exceeds the GPU's memory, one token less fits.
    auto request = make_request(small_configuration(), sim::gpu_preset("h100-sxm5"));
    request.algorithm = Algorithm::naive;
    request.model = sim::Model::analytic;
    request.problem.seq_q = request.problem.seq_k = sweep.naive_limit_seq;
    EXPECT_FALSE(sim::simulate(request).fits_hbm);
    request.problem.seq_q = request.problem.seq_k = sweep.naive_limit_seq - 1;
    EXPECT_TRUE(sim::simulate(request).fits_hbm);
    // Naive's footprint grows ~4x per doubling at long sequences, flash2's ~2x.
    const int last = model.rowCount() - 1;
    EXPECT_GT(model.value(last, 0, ScalingModel::footprint_bytes) /
                  model.value(last - 1, 0, ScalingModel::footprint_bytes),
              3.5);
    EXPECT_LT(model.value(last, 2, ScalingModel::footprint_bytes) /
                  model.value(last - 1, 2, ScalingModel::footprint_bytes),
              2.1);
}

TEST(TimelineModel, PassesTheModelTesterWithTheCycleTimeline) {
    TimelineModel model;
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    model.set_timeline(snapshot().selected.timeline);
    ASSERT_GT(model.rowCount(), 3);
    EXPECT_EQ(static_cast<std::size_t>(model.rowCount()), snapshot().selected.timeline.size());
    EXPECT_EQ(model.columnCount(), 3 + sim::k_resource_count - 1);
    EXPECT_EQ(model.headerData(TimelineModel::first_resource, Qt::Horizontal).toString(),
              QStringLiteral("hbm"));
    const double end =
        model.data(model.index(model.rowCount() - 1, TimelineModel::t_end), Qt::UserRole)
            .toDouble();
    EXPECT_NEAR(end, snapshot().selected.totals.time_s, snapshot().selected.totals.time_s * 0.05);
}

TEST(RooflineModel, PassesTheModelTesterWithOnePointPerKernel) {
    RooflineModel model;
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    std::vector<sim::Result> all;
    for (const auto& r : snapshot().by_algorithm)
        if (r) all.push_back(*r);
    model.set_results(snapshot().gpu, all, Algorithm::flash2);
    std::size_t kernels = 0;
    for (const auto& r : all) kernels += r.kernels.size();
    EXPECT_EQ(static_cast<std::size_t>(model.rowCount()), kernels);
    const auto& gpu = snapshot().gpu;
    EXPECT_DOUBLE_EQ(model.peak_flops_per_s(), gpu.tensor_flops_per_clk(DType::bf16) *
                                                   static_cast<double>(gpu.sm_count) *
                                                   gpu.sm_clock_hz);
    for (const auto& p : model.points())
        EXPECT_LE(p.flops_per_s(), p.roof_flops_per_s * 1.0001) << p.kernel.toStdString();
}

TEST(ValidationModel, PassesTheModelTesterWithTheFixture) {
    ValidationModel model;
    Tester tester(&model, Tester::FailureReportingMode::Fatal);
    model.open(test::data_file("validation_sample.json"));
    EXPECT_EQ(model.rowCount(), 14);
    EXPECT_EQ(model.metrics().size(), 6U);
    const double err =
        model.data(model.index(0, ValidationModel::first_metric), Qt::UserRole).toDouble();
    EXPECT_NEAR(err, model.record(0).relative_error(model.metrics()[0]), 1e-12);
}

}  // namespace
}  // namespace flashscope::gui
