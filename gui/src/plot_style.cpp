#include "plot_style.hpp"

#include <qcustomplot.h>

#include <iterator>

namespace flashscope::gui {

QColor algorithm_colour(Algorithm algorithm) {
    // By registration order (naive, flash1, flash2, then any other), repeating past the end.
    static const QColor colours[] = {QColor(0xd6, 0x27, 0x28), QColor(0xff, 0x7f, 0x0e),
                                     QColor(0x1f, 0x77, 0xb4), QColor(0x2c, 0xa0, 0x2c),
                                     QColor(0x94, 0x67, 0xbd), QColor(0x8c, 0x56, 0x4b)};
    return colours[algorithm.index() % std::size(colours)];
}

QColor resource_colour(int resource) {
    static const QColor colours[] = {QColor(0xd6, 0x27, 0x28), QColor(0xff, 0x7f, 0x0e),
                                     QColor(0x2c, 0xa0, 0x2c), QColor(0x1f, 0x77, 0xb4),
                                     QColor(0x94, 0x67, 0xbd), QColor(0x8c, 0x56, 0x4b),
                                     QColor(0xe3, 0x77, 0xc2), QColor(0x7f, 0x7f, 0x7f)};
    constexpr int count = sizeof colours / sizeof colours[0];
    return colours[resource >= 0 && resource < count ? resource : count - 1];
}

void style_axis_rect(QCPAxisRect& rect) {
    for (auto* axis : rect.axes()) {
        axis->setBasePen(QPen(QColor(0x55, 0x55, 0x55)));
        axis->setTickPen(QPen(QColor(0x55, 0x55, 0x55)));
        axis->setSubTickPen(QPen(QColor(0x88, 0x88, 0x88)));
        axis->setTickLabelColor(QColor(0x33, 0x33, 0x33));
        axis->setLabelColor(QColor(0x22, 0x22, 0x22));
        axis->grid()->setPen(QPen(QColor(0xe0, 0xe0, 0xe0), 1, Qt::SolidLine));
        axis->grid()->setSubGridPen(QPen(QColor(0xf0, 0xf0, 0xf0), 1, Qt::DotLine));
    }
}

void style_plot(QCustomPlot& plot) {
    plot.setBackground(Qt::white);
    plot.setAntialiasedElements(QCP::aeAll);
    QFont font = plot.font();
    font.setPointSize(9);
    plot.setFont(font);
    for (auto* rect : plot.axisRects()) style_axis_rect(*rect);
}

void set_log_axis(QCPAxis& axis, const QString& label) {
    axis.setScaleType(QCPAxis::stLogarithmic);
    QSharedPointer<QCPAxisTickerLog> ticker(new QCPAxisTickerLog);
    ticker->setLogBase(10);
    ticker->setSubTickCount(8);
    axis.setTicker(ticker);
    axis.setNumberFormat(QStringLiteral("eb"));
    axis.setNumberPrecision(0);
    axis.setLabel(label);
}

QCPTextElement* add_plot_title(QCustomPlot& plot) {
    plot.plotLayout()->insertRow(0);
    QFont font = plot.font();
    font.setPointSize(11);
    font.setBold(true);
    auto* text = new QCPTextElement(&plot, QString(), font);
    text->setTextColor(QColor(0x22, 0x22, 0x22));
    plot.plotLayout()->addElement(0, 0, text);
    return text;
}

}  // namespace flashscope::gui
