// Legends never cover data or notes: at 1280x720, as exported, every visible legend of every
// view lies outside all of that view's axis rects (where data, roofs and notes are drawn).
#include <gtest/gtest.h>
#include <qcustomplot.h>

#include "exportable_view.hpp"
#include "gui_test_support.hpp"

namespace flashscope::gui {
namespace {

std::vector<QCPLegend*> legends_of(QCustomPlot& plot) {
    std::vector<QCPLegend*> legends;
    const auto collect = [&](QCPLayoutElement* root) {
        if (auto* legend = qobject_cast<QCPLegend*>(root)) legends.push_back(legend);
        for (auto* element : root->elements(true))
            if (auto* legend = qobject_cast<QCPLegend*>(element)) legends.push_back(legend);
    };
    collect(plot.plotLayout());
    for (auto* rect : plot.axisRects())
        collect(rect);  // inset legends live in an axis rect's inset layout
    return legends;
}

TEST(ViewLegends, StayOutsideEveryAxisRectAt1280x720) {
    MainWindow window;
    ASSERT_TRUE(window.open_validation_file(test::data_file("validation_sample.json")));
    ASSERT_TRUE(test::settle(window));
    int legends_checked = 0;
    for (auto* view : window.views()) {
        auto* plot = qobject_cast<QCustomPlot*>(view->picture_widget());
        if (!plot) continue;  // painted views (memory hierarchy) have no legend
        std::vector<std::pair<QRect, bool>> legend_rects;  // (outer rect, visible with items)
        std::vector<QRect> axes;
        QObject::connect(plot, &QCustomPlot::afterLayout, plot, [&] {
            legend_rects.clear();
            axes.clear();
            for (auto* legend : legends_of(*plot))
                legend_rects.emplace_back(legend->outerRect(),
                                          legend->realVisibility() && legend->itemCount() > 0);
            for (auto* rect : plot->axisRects()) axes.push_back(rect->rect());
        });
        plot->toPixmap(1280, 720);
        const std::string name = view->export_name().toStdString();
        for (const auto& [legend, shown] : legend_rects) {
            if (!shown) continue;
            ++legends_checked;
            EXPECT_TRUE(QRect(0, 0, 1280, 720).contains(legend)) << name << ": legend cut off";
            for (const auto& rect : axes)
                EXPECT_FALSE(legend.intersects(rect)) << name << ": legend over the axes";
        }
    }
    EXPECT_GE(legends_checked, 3);  // roofline, scaling, validation
}

}  // namespace
}  // namespace flashscope::gui
