#pragma once
// Turns a view into files: its picture as PNG (any size) and SVG, its data as CSV. QCustomPlot
// pictures are drawn through QCPPainter so the SVG stays vector; without Qt Svg in the build the
// SVG embeds the PNG.
#include <QImage>
#include <QSize>
#include <QString>

#include "exportable_view.hpp"

namespace flashscope::gui {

QImage render_view_image(ExportableView& view, const QSize& size);
// Each returns false and sets `error` when the file cannot be written.
bool export_view_png(ExportableView& view, const QString& path, const QSize& size,
                     QString* error = nullptr);
bool export_view_svg(ExportableView& view, const QString& path, const QSize& size,
                     QString* error = nullptr);
bool export_view_csv(const ExportableView& view, const QString& path, QString* error = nullptr);
bool svg_is_vector();  // whether this build writes vector SVG (Qt Svg present)

}  // namespace flashscope::gui
