#include "view_renderer.hpp"

#include <qcustomplot.h>

#include <QBuffer>
#include <QFile>
#include <QSaveFile>

#ifdef FLASHSCOPE_GUI_HAVE_QTSVG
#include <QSvgGenerator>
#endif

#include "model_csv.hpp"

namespace flashscope::gui {

namespace {

bool write_bytes(const QString& path, const QByteArray& bytes, QString* error) {
    QSaveFile file(path);  // temporary name, renamed on commit
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
        if (error) *error = QStringLiteral("%1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

}  // namespace

QImage render_view_image(ExportableView& view, const QSize& size) {
    QWidget* widget = view.picture_widget();
    if (auto* plot = qobject_cast<QCustomPlot*>(widget)) {
        return plot->toPixmap(size.width(), size.height(), 1.0).toImage();
    }
    const QSize old = widget->size();
    widget->resize(size);
    QImage image(size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::white);
    widget->render(&image);
    if (widget->isVisible()) widget->resize(old);
    return image;
}

bool export_view_png(ExportableView& view, const QString& path, const QSize& size, QString* error) {
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    if (!render_view_image(view, size).save(&buffer, "PNG")) {
        if (error) *error = QStringLiteral("PNG encoding failed");
        return false;
    }
    return write_bytes(path, bytes, error);
}

bool svg_is_vector() {
#ifdef FLASHSCOPE_GUI_HAVE_QTSVG
    return true;
#else
    return false;
#endif
}

bool export_view_svg(ExportableView& view, const QString& path, const QSize& size, QString* error) {
#ifdef FLASHSCOPE_GUI_HAVE_QTSVG
    QByteArray bytes;
    QBuffer buffer(&bytes);
    QSvgGenerator generator;
    generator.setOutputDevice(&buffer);
    generator.setSize(size);
    generator.setViewBox(QRect(QPoint(0, 0), size));
    generator.setTitle(view.title());
    QWidget* widget = view.picture_widget();
    if (auto* plot = qobject_cast<QCustomPlot*>(widget)) {
        QCPPainter painter(&generator);
        plot->toPainter(&painter, size.width(), size.height());
    } else {
        const QSize old = widget->size();
        widget->resize(size);
        widget->render(&generator);
        if (widget->isVisible()) widget->resize(old);
    }
    return write_bytes(path, bytes, error);
#else
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    render_view_image(view, size).save(&buffer, "PNG");
    const QByteArray svg =
        QStringLiteral(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<svg xmlns=\"http://www.w3.org/2000/svg\" "
            "xmlns:xlink=\"http://www.w3.org/1999/xlink\" "
            "width=\"%1\" height=\"%2\" viewBox=\"0 0 %1 %2\">\n<title>%3</title>\n"
            "<image width=\"%1\" height=\"%2\" xlink:href=\"data:image/png;base64,")
            .arg(size.width())
            .arg(size.height())
            .arg(view.title().toHtmlEscaped())
            .toUtf8() +
        png.toBase64() + QByteArray("\"/>\n</svg>\n");
    return write_bytes(path, svg, error);
#endif
}

bool export_view_csv(const ExportableView& view, const QString& path, QString* error) {
    const auto* model = view.data_model();
    if (!model) {
        if (error) *error = QStringLiteral("this view has no data");
        return false;
    }
    return write_bytes(path, model_to_csv(*model).toUtf8(), error);
}

}  // namespace flashscope::gui
