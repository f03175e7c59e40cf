// A fourth algorithm registered in this test binary only: every view that shows one entry per
// algorithm must size itself from the registry (run under ASan by the sanitize preset).
#include "fake_algorithm.hpp"

#include <gtest/gtest.h>
#include <qcustomplot.h>

#include <QAbstractItemModelTester>
#include <QTemporaryDir>

#include "flashscope/validate/validation_file.hpp"
#include "gui_test_support.hpp"
#include "scaling_model.hpp"
#include "simulation_snapshot.hpp"
#include "validation_model.hpp"
#include "validation_view.hpp"

namespace flashscope::gui {
namespace {

GuiConfiguration small_configuration(Algorithm algorithm) {
    GuiConfiguration c;
    c.algorithm = algorithm;
    c.model = sim::Model::analytic;
    c.problem.batch = 1;
    c.problem.heads = 4;
    c.problem.kv_heads = 4;
    c.problem.seq_q = c.problem.seq_k = 512;
    c.problem.head_dim = 64;
    return c;
}

// Data points of the graph named `name` in the view's plot; -1 when there is no such graph.
int points_of(ExportableView& view, const QString& name) {
    auto* plot = qobject_cast<QCustomPlot*>(view.picture_widget());
    if (!plot) return -1;
    for (int g = 0; g < plot->graphCount(); ++g)
        if (plot->graph(g)->name() == name) return plot->graph(g)->dataCount();
    return -1;
}

ExportableView* view_named(MainWindow& window, const QString& name) {
    for (auto* view : window.views())
        if (view->export_name() == name) return view;
    return nullptr;
}

TEST(FakeAlgorithm, SnapshotHoldsEveryRegisteredAlgorithm) {
    const Algorithm fake = flashscope::test::fake_algorithm();
    const SimulationSnapshot snap = compute_snapshot(small_configuration(fake), {});
    ASSERT_EQ(snap.by_algorithm.size(), algorithm_count());
    ASSERT_NE(snap.result_of(fake), nullptr);
    EXPECT_EQ(snap.result_of(fake)->kernels.at(0).name, "fake_fwd");
    EXPECT_EQ(snap.selected.algorithm, fake);
    for (Algorithm a : {Algorithm::naive, Algorithm::flash1, Algorithm::flash2})
        EXPECT_NE(snap.result_of(a), nullptr) << to_string(a);
    EXPECT_EQ(snap.tiled(), &snap.selected);
}

TEST(FakeAlgorithm, ScalingSweepAndModelHaveAColumnGroupForIt) {
    const Algorithm fake = flashscope::test::fake_algorithm();
    const SimulationSnapshot snap = compute_snapshot(small_configuration(Algorithm::flash2), {});
    const ScalingSweep& sweep = snap.scaling;
    ASSERT_EQ(sweep.algorithms.size(), algorithm_count());
    ASSERT_EQ(sweep.totals.size(), algorithm_count());
    const std::size_t a = fake.index();
    ASSERT_EQ(sweep.algorithms[a], fake);
    ASSERT_EQ(sweep.totals[a].size(), sweep.seqs.size());
    for (std::size_t s = 0; s < sweep.seqs.size(); ++s) {
        ASSERT_TRUE(sweep.totals[a][s].has_value()) << sweep.seqs[s];
        AttentionProblem p = snap.config.problem;
        p.seq_q = p.seq_k = sweep.seqs[s];
        const auto& m = *sweep.totals[a][s];
        EXPECT_DOUBLE_EQ(double(m.hbm_read_bytes + m.hbm_write_bytes),
                         flashscope::test::fake_pass_hbm_bytes(p));
    }

    ScalingModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::Fatal);
    model.set_sweep(sweep);
    ASSERT_EQ(model.columnCount(),
              1 + static_cast<int>(algorithm_count()) * ScalingModel::quantity_count);
    const int first = 1 + static_cast<int>(a) * ScalingModel::quantity_count;
    EXPECT_TRUE(
        model.headerData(first, Qt::Horizontal).toString().startsWith(QStringLiteral("fake ")));
    EXPECT_EQ(model.data(model.index(0, first), Qt::UserRole).toDouble(),
              double(sweep.totals[a][0]->hbm_read_bytes + sweep.totals[a][0]->hbm_write_bytes));
}

TEST(FakeAlgorithm, WindowPlotsItsValidationRecordsAndLoadsThem) {
    const Algorithm fake = flashscope::test::fake_algorithm();
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("fake.csv"));
    // Written by validate's own writer: the GUI reads exactly what `flashscope validate` writes.
    validate::ValidationRun run;
    run.device = "H100";
    run.chip = "gh100";
    run.gpu_preset = "h100-sxm5";
    run.model = "analytic";
    run.l2_protocol = "isolated";
    auto add = [&](Algorithm algorithm, TileConfig tile, const char* kernel, double predicted,
                   double measured) {
        validate::ValidationRecord r;
        r.key.problem = small_configuration(algorithm).problem;
        r.key.algorithm = algorithm;
        r.key.tile = tile;
        r.key.kernel = kernel;
        r.predicted.time_s = predicted;
        r.measured.time_s = measured;
        r.measured_fields = {"time_s"};
        run.records.push_back(r);
    };
    add(Algorithm::naive, {128, 128, 8, 3}, "naive_qk", 2e-5, 1e-5);
    add(Algorithm::flash2, {64, 64, 4, 2}, "flash2_fwd", 1.1e-5, 1e-5);
    add(fake, {64, 64, 4, 1}, "fake_fwd", 3e-6, 2e-6);
    add(fake, {64, 64, 4, 1}, "fake_fwd", 4e-6, 2e-6);
    validate::write_validation(path.toStdString(), run, validate::FileFormat::csv);

    MainWindow window;
    QString error;
    ASSERT_TRUE(window.open_validation_file(path, &error)) << error.toStdString();
    ASSERT_TRUE(test::settle(window));
    ExportableView* validation = view_named(window, QStringLiteral("validation"));
    ASSERT_NE(validation, nullptr);
    EXPECT_EQ(points_of(*validation, QStringLiteral("fake")), 2);
    EXPECT_EQ(points_of(*validation, QStringLiteral("flash2")), 1);

    window.validation_view()->select_record(2);  // the first fake record
    ASSERT_TRUE(test::settle(window));
    const SimulationSnapshot* snap = window.controller()->snapshot();
    ASSERT_NE(snap, nullptr);
    EXPECT_EQ(snap->config.algorithm, fake);
    EXPECT_EQ(snap->selected.kernels.at(0).name, "fake_fwd");
    ExportableView* roofline = view_named(window, QStringLiteral("roofline"));
    ASSERT_NE(roofline, nullptr);
    window.show_view(
        static_cast<int>(std::find(window.views().begin(), window.views().end(), roofline) -
                         window.views().begin()));
    // its one forward kernel, at its FLOP per HBM byte (one marker graph per algorithm and level)
    EXPECT_EQ(points_of(*roofline, QStringLiteral("fake per HBM byte")), 1);
}

}  // namespace
}  // namespace flashscope::gui
