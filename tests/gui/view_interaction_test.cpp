// Hovering the heatmap names the tile and its values (or why it is infeasible); the timeline
// zooms all lanes together.
#include <gtest/gtest.h>
#include <qcustomplot.h>

#include "gui_test_support.hpp"
#include "tile_heatmap_view.hpp"
#include "timeline_view.hpp"

namespace flashscope::gui {
namespace {

QPoint pixel_of_cell(QCustomPlot& plot, int column, int row) {
    return QPoint(static_cast<int>(plot.xAxis->coordToPixel(column)),
                  static_cast<int>(plot.yAxis->coordToPixel(row)));
}

TEST(TileHeatmapView, HoverShowsValuesOrTheReason) {
    MainWindow window;
    window.resize(1300, 800);
    window.show();
    ASSERT_TRUE(test::settle(window));
    auto* view = window.findChild<TileHeatmapView*>();
    auto* plot = qobject_cast<QCustomPlot*>(view->picture_widget());
    plot->replot();
    // Column 3 = block_n 64, row 7 = block_m 128: feasible with the default tile rule.
    const QString feasible = view->tooltip_at(pixel_of_cell(*plot, 3, 7));
    EXPECT_TRUE(feasible.contains(QStringLiteral("block_m 128 × block_n 64")))
        << feasible.toStdString();
    EXPECT_TRUE(feasible.contains(QStringLiteral("HBM"))) << feasible.toStdString();
    // Column 15, row 15 = 256 x 256: more registers per thread than the SM allows.
    const QString infeasible = view->tooltip_at(pixel_of_cell(*plot, 15, 15));
    EXPECT_TRUE(infeasible.contains(QStringLiteral("infeasible"))) << infeasible.toStdString();
    EXPECT_TRUE(view->tooltip_at(QPoint(1, 1)).isEmpty());
}

TEST(TimelineView, ZoomMovesEveryLane) {
    MainWindow window;
    ASSERT_TRUE(test::settle(window));
    auto* view = window.findChild<TimelineView*>();
    auto* plot = qobject_cast<QCustomPlot*>(view->picture_widget());
    ASSERT_EQ(plot->axisRects().size(), TimelineModel::k_resources);  // one lane per resource
    view->set_time_range(100e-6, 200e-6);
    for (auto* rect : plot->axisRects()) {
        EXPECT_DOUBLE_EQ(rect->axis(QCPAxis::atBottom)->range().lower, 100.0);
        EXPECT_DOUBLE_EQ(rect->axis(QCPAxis::atBottom)->range().upper, 200.0);
    }
    // Zooming one lane (as the mouse wheel does) zooms the others.
    plot->axisRects().first()->axis(QCPAxis::atBottom)->scaleRange(0.5);
    EXPECT_DOUBLE_EQ(plot->axisRects().last()->axis(QCPAxis::atBottom)->range().size(), 50.0);
}

}  // namespace
}  // namespace flashscope::gui
