// The current view exports as PNG, SVG and its data as CSV.
#include <gtest/gtest.h>

#include <QFile>
#include <QImage>
#include <QTemporaryDir>

#include "gui_test_support.hpp"
#include "model_csv.hpp"
#include "view_renderer.hpp"

namespace flashscope::gui {
namespace {

QByteArray read_all(const QString& path) {
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

TEST(Export, EveryViewWritesPngSvgAndCsv) {
    MainWindow window;
    ASSERT_TRUE(window.open_validation_file(test::data_file("validation_sample.json")));
    ASSERT_TRUE(test::settle(window));
    QTemporaryDir dir;
    for (auto* view : window.views()) {
        const QString stem = dir.filePath(view->export_name());
        QString error;
        ASSERT_TRUE(export_view_png(*view, stem + QStringLiteral(".png"), QSize(640, 400), &error))
            << error.toStdString();
        ASSERT_TRUE(export_view_svg(*view, stem + QStringLiteral(".svg"), QSize(640, 400), &error))
            << error.toStdString();
        ASSERT_TRUE(export_view_csv(*view, stem + QStringLiteral(".csv"), &error))
            << error.toStdString();
        EXPECT_EQ(QImage(stem + QStringLiteral(".png")).size(), QSize(640, 400));
        const auto svg = read_all(stem + QStringLiteral(".svg"));
        EXPECT_TRUE(svg.contains("<svg")) << view->export_name().toStdString();
        const auto csv = read_all(stem + QStringLiteral(".csv"));
        EXPECT_GT(csv.count('\n'), 1) << view->export_name().toStdString();
        EXPECT_EQ(csv, model_to_csv(*view->data_model()).toUtf8());
    }
    EXPECT_TRUE(read_all(dir.filePath(QStringLiteral("tile_explorer.csv")))
                    .startsWith("block_m,block_n,feasible,HBM bytes"));
}

}  // namespace
}  // namespace flashscope::gui
