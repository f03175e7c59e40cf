#include "roofline_view.hpp"

#include <qcustomplot.h>

#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <vector>

#include "metric_format.hpp"
#include "plot_style.hpp"

namespace flashscope::gui {

RooflineView::RooflineView(RooflineModel* model, QWidget* parent)
    : QWidget(parent), m_model(model), m_plot(new QCustomPlot(this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
    m_title = add_plot_title(*m_plot);
    set_log_axis(*m_plot->xAxis, tr("arithmetic intensity (FLOP per HBM byte)"));
    set_log_axis(*m_plot->yAxis, tr("achieved FLOP/s"));
    m_plot->legend->setVisible(true);
    m_plot->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignBottom | Qt::AlignRight);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    style_plot(*m_plot);
    connect(m_model, &QAbstractItemModel::modelReset, this, &RooflineView::rebuild);
    rebuild();
}

QWidget* RooflineView::picture_widget() { return m_plot; }

void RooflineView::rebuild() {
    m_plot->clearItems();
    m_plot->clearPlottables();
    const double peak = m_model->peak_flops_per_s();
    const double hbm = m_model->hbm_bytes_per_s();
    const double l2 = m_model->l2_bytes_per_s();
    double x_lo = 1, x_hi = 1e4;
    for (const auto& p : m_model->points()) {
        if (p.intensity() <= 0) continue;
        x_lo = std::min(x_lo, p.intensity() / 3);
        x_hi = std::max(x_hi, p.intensity() * 4);
    }
    const auto roof = [&](double bandwidth, const QString& name, const QColor& colour, Qt::PenStyle style, bool label_left) {
        auto* graph = m_plot->addGraph();
        graph->setName(name);
        graph->setPen(QPen(colour, 2, style));
        const double knee = peak / bandwidth;
        QVector<double> x{x_lo}, y{x_lo * bandwidth};
        if (knee > x_lo && knee < x_hi) x << knee, y << peak;
        x << x_hi;
        y << std::min(peak, x_hi * bandwidth);
        graph->setData(x, y, true);
        auto* label = new QCPItemText(m_plot);
        label->position->setCoords(knee, peak);
        label->setPositionAlignment((label_left ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignTop);
        label->setPadding(QMargins(6, 4, 6, 0));
        label->setColor(colour);
        label->setText(tr("ridge %1 FLOP/B").arg(knee, 0, 'f', 0));
    };
    if (peak > 0 && hbm > 0) {
        roof(hbm, tr("HBM roof %1/s").arg(format_count(hbm, QStringLiteral("B"))), QColor(0x33, 0x33, 0x33), Qt::SolidLine, false);
        if (l2 > 0) roof(l2, tr("L2 roof %1/s").arg(format_count(l2, QStringLiteral("B"))), QColor(0x99, 0x99, 0x99), Qt::DashLine, true);
        auto* peak_label = new QCPItemText(m_plot);
        peak_label->position->setCoords(x_hi, peak);
        peak_label->setPositionAlignment(Qt::AlignRight | Qt::AlignBottom);
        peak_label->setText(tr("tensor-core peak %1").arg(format_count(peak, QStringLiteral("FLOP/s"))));
    }
    std::vector<std::pair<double, double>> labelled;  // points whose label sits on their right
    for (auto algorithm : all_algorithms()) {
        auto* graph = m_plot->addGraph();
        graph->setName(QString::fromUtf8(to_string(algorithm)));
        graph->setLineStyle(QCPGraph::lsNone);
        const QColor colour = algorithm_colour(algorithm);
        graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, colour, colour, 10));
        bool any = false;
        for (const auto& p : m_model->points()) {
            if (p.algorithm != algorithm || p.intensity() <= 0) continue;
            graph->addData(p.intensity(), p.flops_per_s());
            any = true;
            auto* label = new QCPItemText(m_plot);
            label->position->setCoords(p.intensity(), p.flops_per_s());
            const bool near_right = p.intensity() > x_hi / 20;
            // A label that would overlap an earlier one (point within ×1.5 in x, ×1.3 in y) goes left.
            const bool crowded = std::any_of(labelled.begin(), labelled.end(), [&](const auto& q) {
                return std::abs(std::log(p.intensity() / q.first)) < std::log(1.5) &&
                       std::abs(std::log(p.flops_per_s() / q.second)) < std::log(1.3);
            });
            // Far right: the label goes above the point, elsewhere to its right (left when crowded).
            if (near_right) {
                label->setPositionAlignment(Qt::AlignHCenter | Qt::AlignBottom);
                label->setPadding(QMargins(0, 0, 0, 10));
            } else if (crowded) {
                label->setPositionAlignment(Qt::AlignRight | Qt::AlignVCenter);
                label->setPadding(QMargins(0, 0, 8, 0));
            } else {
                label->setPositionAlignment(Qt::AlignLeft | Qt::AlignVCenter);
                label->setPadding(QMargins(8, 0, 0, 0));
                labelled.emplace_back(p.intensity(), p.flops_per_s());
            }
            label->setColor(colour.darker(130));
            label->setText(tr("%1 (%2, %3-bound)").arg(p.kernel, format_seconds(p.time_s), p.bottleneck));
        }
        if (!any) graph->removeFromLegend();
    }
    m_plot->xAxis->setRange(x_lo, x_hi);
    m_plot->yAxis->setRange(peak > 0 ? peak / 1e3 : 1e9, peak > 0 ? peak * 3 : 1e15);
    QStringList names;
    for (const Algorithm algorithm : all_algorithms())
        names << QString::fromUtf8(to_string(algorithm));
    m_title->setText(tr("Roofline · %1 · each kernel of %2")
                         .arg(m_model->gpu_name(), names.join(QStringLiteral(", "))));
    m_plot->replot();
}

}  // namespace flashscope::gui
