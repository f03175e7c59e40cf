// Setting fields through the widgets gives the numbers sim::simulate and `flashscope simulate`
// give for the same configuration.
#include <gtest/gtest.h>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QProcess>
#include <QSignalSpy>
#include <algorithm>

#include "flashscope/sim/simulate.hpp"
#include "gui_test_support.hpp"
#include "memory_hierarchy_model.hpp"
#include "tile_heatmap_view.hpp"

namespace flashscope::gui {
namespace {

using test::choose;
using test::set_checked;
using test::settle;
using test::type_into;

GuiConfiguration typed_configuration(MainWindow& window) {
    auto& panel = *window.panel();
    choose(panel, QStringLiteral("gpu"), QStringLiteral("a100-sxm4-80gb"));
    type_into(panel, QStringLiteral("batch"), QStringLiteral("2"));
    type_into(panel, QStringLiteral("heads"), QStringLiteral("32"));
    type_into(panel, QStringLiteral("kv_heads"), QStringLiteral("8"));
    type_into(panel, QStringLiteral("seq_q"), QStringLiteral("2048"));
    type_into(panel, QStringLiteral("seq_k"), QStringLiteral("3072"));
    type_into(panel, QStringLiteral("head_dim"), QStringLiteral("64"));
    choose(panel, QStringLiteral("dtype"), QStringLiteral("fp16"));
    set_checked(panel, QStringLiteral("causal"), true);
    choose(panel, QStringLiteral("algo"), QStringLiteral("flash2"));
    type_into(panel, QStringLiteral("block_m"), QStringLiteral("128"));
    type_into(panel, QStringLiteral("block_n"), QStringLiteral("64"));
    type_into(panel, QStringLiteral("warps"), QStringLiteral("4"));
    type_into(panel, QStringLiteral("stages"), QStringLiteral("2"));
    choose(panel, QStringLiteral("model"), QStringLiteral("cycle"));
    EXPECT_FALSE(panel.has_error()) << panel.error_text().toStdString();
    EXPECT_TRUE(settle(window));
    return panel.configuration();
}

TEST(PanelMatchesSimulator, TypedFieldsReachTheConfiguration) {
    MainWindow window;
    const auto config = typed_configuration(window);
    EXPECT_EQ(config.gpu, "a100-sxm4-80gb");
    EXPECT_EQ(config.problem.batch, 2);
    EXPECT_EQ(config.problem.heads, 32);
    EXPECT_EQ(config.problem.kv_heads, 8);
    EXPECT_EQ(config.problem.seq_q, 2048);
    EXPECT_EQ(config.problem.seq_k, 3072);
    EXPECT_EQ(config.problem.head_dim, 64);
    EXPECT_EQ(config.problem.dtype, DType::fp16);
    EXPECT_TRUE(config.problem.causal);
    EXPECT_EQ(config.tile, (TileConfig{128, 64, 4, 2}));
}

TEST(PanelMatchesSimulator, ShownResultEqualsSimulateForTheSameRequest) {
    MainWindow window;
    const auto config = typed_configuration(window);
    const auto* snap = window.controller()->snapshot();
    ASSERT_NE(snap, nullptr);
    ASSERT_EQ(snap->config, config);

    sim::SimulationRequest request;
    request.gpu = sim::gpu_preset("a100-sxm4-80gb");
    request.problem = config.problem;
    request.algorithm = Algorithm::flash2;
    request.tile = {128, 64, 4, 2};
    request.model = sim::Model::cycle;
    const auto expected = sim::simulate(request);
    const auto& got = snap->selected.totals;
    EXPECT_EQ(got.hbm_read_bytes, expected.totals.hbm_read_bytes);
    EXPECT_EQ(got.hbm_write_bytes, expected.totals.hbm_write_bytes);
    EXPECT_EQ(got.l2_read_bytes, expected.totals.l2_read_bytes);
    EXPECT_EQ(got.sram_read_bytes, expected.totals.sram_read_bytes);
    EXPECT_EQ(got.hbm_footprint_bytes, expected.totals.hbm_footprint_bytes);
    EXPECT_DOUBLE_EQ(got.time_s, expected.totals.time_s);
    // The memory-hierarchy model shows the same bytes for the tiled side.
    EXPECT_DOUBLE_EQ(
        window.hierarchy_model()->amount(MemoryHierarchyModel::hbm_link, 1),
        static_cast<double>(expected.totals.hbm_read_bytes + expected.totals.hbm_write_bytes));
}

TEST(PanelMatchesSimulator, ShownResultEqualsTheCommandLine) {
    MainWindow window;
    const auto config = typed_configuration(window);
    QProcess cli;
    cli.start(QStringLiteral(FLASHSCOPE_CLI),
              QString::fromStdString(equivalent_cli(config)).split(QLatin1Char(' ')).mid(1) +
                  QStringList{QStringLiteral("--format"), QStringLiteral("json")});
    ASSERT_TRUE(cli.waitForFinished(60000));
    ASSERT_EQ(cli.exitCode(), 0) << cli.readAllStandardError().toStdString();
    const auto doc = QJsonDocument::fromJson(cli.readAllStandardOutput());
    const auto result = doc.isArray() ? doc.array().at(0).toObject() : doc.object();
    const auto totals = result.value(QStringLiteral("totals")).toObject();
    ASSERT_FALSE(totals.isEmpty());
    const auto& got = window.controller()->snapshot()->selected.totals;
    EXPECT_EQ(totals.value(QStringLiteral("hbm_read_bytes")).toInteger(), got.hbm_read_bytes);
    EXPECT_EQ(totals.value(QStringLiteral("hbm_write_bytes")).toInteger(), got.hbm_write_bytes);
    EXPECT_EQ(totals.value(QStringLiteral("l2_read_bytes")).toInteger(), got.l2_read_bytes);
    EXPECT_EQ(totals.value(QStringLiteral("sram_write_bytes")).toInteger(), got.sram_write_bytes);
    EXPECT_NEAR(totals.value(QStringLiteral("time_s")).toDouble(), got.time_s, got.time_s * 1e-12);
}

TEST(PanelMatchesSimulator, HeatmapClickSelectsTheTile) {
    MainWindow window;
    ASSERT_TRUE(settle(window));
    Q_EMIT window.findChild<TileHeatmapView*>()->tile_selected(64, 96);
    ASSERT_TRUE(settle(window));
    EXPECT_EQ(window.panel()->configuration().tile.block_m, 64);
    EXPECT_EQ(window.panel()->configuration().tile.block_n, 96);
    EXPECT_EQ(window.controller()->snapshot()->selected.tile.block_n, 96);
}

// Latency is a benchmark (bench/gui, docs/PERFORMANCE.md), not a timed test: here only what
// the job computes.
TEST(PanelMatchesSimulator, TypicalConfigurationSimulatesEveryTile) {
    // B4 H16 seq 4096 d128 (the defaults): every view's data in one job.
    const auto snap = compute_snapshot(GuiConfiguration{}, {});
    ASSERT_EQ(snap.tiles.cells.size(), 256U);  // one cell per tile, feasible or not
    const auto feasible = std::count_if(snap.tiles.cells.begin(), snap.tiles.cells.end(),
                                        [](const TileCell& c) { return c.feasible; });
    EXPECT_GT(feasible, 0);
    EXPECT_LT(feasible, 256);  // 256 x 256 at d = 128 exceeds the registers (models_test)
}

TEST(PanelMatchesSimulator, ViewsUpdateAfterAnEdit) {
    MainWindow window;
    ASSERT_TRUE(settle(window));
    QSignalSpy ready(window.controller(), &SimulationController::snapshot_ready);
    auto* edit = qobject_cast<QLineEdit*>(window.panel()->field_widget(QStringLiteral("seq_k")));
    edit->setText(QStringLiteral("4096"));  // unchanged text: no edit yet
    edit->setText(QStringLiteral("2048"));
    ASSERT_TRUE(ready.wait(30000));
    ASSERT_TRUE(settle(window));
    EXPECT_EQ(window.controller()->snapshot()->config.problem.seq_k, 2048);
}

}  // namespace
}  // namespace flashscope::gui
