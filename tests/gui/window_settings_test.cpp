// The window layout is remembered through QSettings; the About box names the versions.
#include <gtest/gtest.h>

#include <QSettings>

#include "about_text.hpp"
#include "gui_test_support.hpp"

namespace flashscope::gui {
namespace {

TEST(WindowSettings, LayoutAndViewAreRestored) {
    QSettings().clear();
    {
        MainWindow window;
        window.resize(1311, 877);
        window.show();
        window.show_view(2);
        ASSERT_TRUE(test::settle(window));
        window.close();
    }
    MainWindow reopened;
    EXPECT_EQ(reopened.size(), QSize(1311, 877));
    EXPECT_EQ(reopened.current_view(), reopened.views()[2]);
    QSettings().clear();
}

TEST(AboutBox, NamesTheVersions) {
    const QString text = about_text();
    EXPECT_TRUE(text.contains(QStringLiteral("flashscope-gui ") + flashscope_version()));
    EXPECT_TRUE(text.contains(QStringLiteral("Qt ") + QString::fromLatin1(qVersion())));
    EXPECT_TRUE(text.contains(QStringLiteral("QCustomPlot 2.")));
    EXPECT_TRUE(text.contains(QStringLiteral("yaml-cpp 0.")));
}

}  // namespace
}  // namespace flashscope::gui
