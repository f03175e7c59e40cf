// Each view renders offscreen to a non-empty image of the requested size.
#include <gtest/gtest.h>

#include <QSet>

#include "exportable_view.hpp"
#include "gui_test_support.hpp"
#include "view_renderer.hpp"

namespace flashscope::gui {
namespace {

int distinct_colours(const QImage& image) {
    QSet<QRgb> colours;
    for (int y = 0; y < image.height(); y += 3)
        for (int x = 0; x < image.width(); x += 3) colours.insert(image.pixel(x, y));
    return static_cast<int>(colours.size());
}

TEST(ViewRender, EveryViewDrawsItsDataAtTheRequestedSize) {
    MainWindow window;
    ASSERT_TRUE(window.open_validation_file(test::data_file("validation_sample.json")));
    ASSERT_TRUE(test::settle(window));
    ASSERT_EQ(window.views().size(), 6U);
    for (auto* view : window.views()) {
        for (const QSize size : {QSize(800, 500), QSize(1200, 720)}) {
            const QImage image = render_view_image(*view, size);
            EXPECT_EQ(image.size(), size) << view->export_name().toStdString();
            EXPECT_GT(distinct_colours(image), 20)
                << view->export_name().toStdString() << " looks blank";
        }
    }
}

TEST(ViewRender, MainWindowShowsEveryTab) {
    MainWindow window;
    window.resize(1300, 800);
    window.show();
    ASSERT_TRUE(test::settle(window));
    for (int i = 0; i < 6; ++i) {
        window.show_view(i);
        EXPECT_EQ(window.current_view(), window.views()[static_cast<std::size_t>(i)]);
        const QImage image = window.grab().toImage();
        EXPECT_EQ(image.size(), QSize(1300, 800));
        EXPECT_GT(distinct_colours(image), 20);
    }
}

}  // namespace
}  // namespace flashscope::gui
