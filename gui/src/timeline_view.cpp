#include "timeline_view.hpp"

#include <qcustomplot.h>

#include <QVBoxLayout>
#include <iterator>

#include "plot_style.hpp"

namespace flashscope::gui {

TimelineView::TimelineView(TimelineModel* model, QWidget* parent)
    : QWidget(parent), m_model(model), m_plot(new QCustomPlot(this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    connect(m_model, &QAbstractItemModel::modelReset, this, &TimelineView::rebuild);
    connect(m_plot, &QCustomPlot::mouseDoubleClick, this, [this] { reset_zoom(); });
    rebuild();
}

QWidget* TimelineView::picture_widget() {
    return m_plot;
}

void TimelineView::set_time_range(double begin_s, double end_s) {
    for (auto* rect : m_plot->axisRects())
        rect->axis(QCPAxis::atBottom)->setRange(begin_s * 1e6, end_s * 1e6);
    m_plot->replot();
}

void TimelineView::reset_zoom() {
    set_time_range(0, m_end_us * 1e-6);
}

void TimelineView::rebuild() {
    m_plot->clearItems();
    m_plot->clearPlottables();
    m_plot->plotLayout()->clear();
    m_title = add_plot_title(*m_plot);
    const auto& samples = m_model->samples();
    m_end_us = samples.empty() ? 1.0 : samples.back().t_end_s * 1e6;
    auto* lanes = new QCPLayoutGrid;
    lanes->setRowSpacing(2);
    m_plot->plotLayout()->addElement(1, 0, lanes);
    auto* margins = new QCPMarginGroup(m_plot);
    QList<QCPAxis*> time_axes;
    for (int r = 0; r < TimelineModel::k_resources; ++r) {
        auto* rect = new QCPAxisRect(m_plot);
        lanes->addElement(r, 0, rect);
        rect->setMarginGroup(QCP::msLeft | QCP::msRight, margins);
        rect->setRangeDrag(Qt::Horizontal);
        rect->setRangeZoom(Qt::Horizontal);
        auto* x = rect->axis(QCPAxis::atBottom);
        auto* y = rect->axis(QCPAxis::atLeft);
        y->setRange(0, 105);
        static const char* const lane_names[] = {"HBM",  "L2",  "SRAM",  "tensor",
                                                 "FP32", "SFU", "issue", "L2 port"};
        static_assert(std::size(lane_names) == TimelineModel::k_resources,
                      "one lane name per sim::Resource");
        y->setLabel(tr(lane_names[r]));
        QSharedPointer<QCPAxisTickerFixed> percent(new QCPAxisTickerFixed);
        percent->setTickStep(50);
        y->setTicker(percent);
        y->setSubTicks(false);
        x->setTickLabels(r == TimelineModel::k_resources - 1);
        if (r == TimelineModel::k_resources - 1) x->setLabel(tr("time (µs)"));
        rect->setAutoMargins(QCP::msLeft | QCP::msRight |
                             (r == TimelineModel::k_resources - 1 ? QCP::msBottom : QCP::msNone));
        rect->setMargins(QMargins(0, 2, 0, 2));
        auto* graph = m_plot->addGraph(x, y);
        const QColor colour = resource_colour(r);
        graph->setPen(QPen(colour, 1.2));
        QColor fill = colour;
        fill.setAlpha(90);
        graph->setBrush(fill);
        graph->setLineStyle(QCPGraph::lsStepLeft);
        QVector<double> t, u;
        t.reserve(static_cast<int>(samples.size()) + 1);
        u.reserve(static_cast<int>(samples.size()) + 1);
        for (const auto& s : samples) {
            t << s.t_begin_s * 1e6;
            u << s.utilization.at(static_cast<std::size_t>(r)) * 100.0;
        }
        if (!samples.empty()) {
            t << samples.back().t_end_s * 1e6;
            u << u.back();
        }
        graph->setData(t, u, true);
        x->setRange(0, m_end_us);
        style_axis_rect(*rect);
        x->grid()->setVisible(true);
        time_axes << x;
        // Kernel boundaries.
        for (std::size_t i = 1; i < samples.size(); ++i) {
            if (samples[i].kernel == samples[i - 1].kernel) continue;
            auto* line = new QCPItemStraightLine(m_plot);
            line->setClipAxisRect(rect);
            line->point1->setAxes(x, y);
            line->point2->setAxes(x, y);
            line->point1->setCoords(samples[i].t_begin_s * 1e6, 0);
            line->point2->setCoords(samples[i].t_begin_s * 1e6, 1);
            line->setPen(QPen(QColor(0x33, 0x33, 0x33), 1, Qt::DashLine));
        }
        if (r == 0) {
            std::size_t start = 0;
            for (std::size_t i = 1; i <= samples.size(); ++i) {
                if (i < samples.size() && samples[i].kernel == samples[start].kernel) continue;
                auto* label = new QCPItemText(m_plot);
                label->setClipAxisRect(rect);
                label->position->setAxes(x, y);
                label->position->setCoords(
                    (samples[start].t_begin_s + samples[i - 1].t_end_s) / 2 * 1e6, 100);
                label->setPositionAlignment(Qt::AlignHCenter | Qt::AlignTop);
                label->setText(QString::fromStdString(samples[start].kernel));
                label->setBrush(QColor(255, 255, 255, 200));
                start = i;
            }
        }
    }
    // Zooming or panning one lane moves them all.
    for (auto* axis : time_axes) {
        connect(axis, qOverload<const QCPRange&>(&QCPAxis::rangeChanged), this,
                [time_axes](const QCPRange& range) {
                    for (auto* other : time_axes)
                        if (other->range() != range) other->setRange(range);
                });
    }
    m_title->setText(samples.empty()
                         ? tr("Timeline: the cycle model records one (choose model = cycle)")
                         : tr("Resource utilization over time (%) · cycle model · %1 intervals · "
                              "wheel zooms, drag pans, double-click resets")
                               .arg(samples.size()));
    m_plot->replot();
}

}  // namespace flashscope::gui
