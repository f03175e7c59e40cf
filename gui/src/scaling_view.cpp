#include "scaling_view.hpp"

#include <qcustomplot.h>

#include <QVBoxLayout>
#include <cmath>

#include "metric_format.hpp"
#include "plot_legend.hpp"
#include "plot_style.hpp"

namespace flashscope::gui {

ScalingView::ScalingView(ScalingModel* model, QWidget* parent)
    : QWidget(parent), m_model(model), m_plot(new QCustomPlot(this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
    // The legend row lists the first panel's graphs once, added by hand.
    m_plot->setAutoAddPlottableToLegend(false);
    connect(m_model, &QAbstractItemModel::modelReset, this, &ScalingView::rebuild);
    rebuild();
}

QWidget* ScalingView::picture_widget() {
    return m_plot;
}

void ScalingView::rebuild() {
    m_plot->clearItems();
    m_plot->clearPlottables();
    m_plot->plotLayout()->clear();
    m_title = add_plot_title(*m_plot);
    const auto& sweep = m_model->sweep();
    auto* row = new QCPLayoutGrid;
    m_plot->plotLayout()->addElement(1, 0, row);
    auto* legend_row = place_legend_above_axes(*m_plot, 3, new QCPLegend);
    const ScalingModel::Quantity quantities[] = {
        ScalingModel::hbm_bytes, ScalingModel::footprint_bytes, ScalingModel::time_s};
    const QString labels[] = {tr("HBM traffic (bytes)"), tr("HBM footprint (bytes)"),
                              tr("time (s)")};
    for (int q = 0; q < 3; ++q) {
        auto* rect = new QCPAxisRect(m_plot);
        row->addElement(0, q, rect);
        set_log_axis(*rect->axis(QCPAxis::atBottom), tr("sequence length N"));
        set_log_axis(*rect->axis(QCPAxis::atLeft), labels[q]);
        rect->axis(QCPAxis::atBottom)
            ->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
        rect->axis(QCPAxis::atBottom)->ticker()->setTickCount(4);
        rect->axis(QCPAxis::atBottom)->setNumberFormat(QStringLiteral("gb"));
        double lo = INFINITY, hi = 0;
        for (std::size_t a = 0; a < sweep.algorithms.size(); ++a) {
            const QColor colour = algorithm_colour(sweep.algorithms[a]);
            auto* graph =
                m_plot->addGraph(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
            graph->setName(QString::fromUtf8(to_string(sweep.algorithms[a])));
            graph->setPen(QPen(colour, 2.2));
            graph->setScatterStyle(
                QCPScatterStyle(QCPScatterStyle::ssCircle, colour, Qt::white, 6));
            for (int r = 0; r < m_model->rowCount(); ++r) {
                const double v = m_model->value(r, a, quantities[q]);
                if (!std::isfinite(v) || v <= 0) continue;
                graph->addData(static_cast<double>(sweep.seqs[static_cast<std::size_t>(r)]), v);
                lo = std::min(lo, v);
                hi = std::max(hi, v);
            }
            if (q != 0) graph->removeFromLegend();
        }
        if (!sweep.empty()) {
            rect->axis(QCPAxis::atBottom)
                ->setRange(static_cast<double>(sweep.seqs.front()) / 1.3,
                           static_cast<double>(sweep.seqs.back()) * 1.3);
            if (q == 1) hi = std::max(hi, static_cast<double>(sweep.hbm_capacity_bytes));
            if (std::isfinite(lo)) rect->axis(QCPAxis::atLeft)->setRange(lo / 3, hi * 3);
        }
        if (q == 1 && sweep.hbm_capacity_bytes > 0) {
            auto* capacity = new QCPItemStraightLine(m_plot);
            capacity->setClipAxisRect(rect);
            capacity->point1->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
            capacity->point2->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
            const double cap = static_cast<double>(sweep.hbm_capacity_bytes);
            capacity->point1->setCoords(1, cap);
            capacity->point2->setCoords(2, cap);
            capacity->setPen(QPen(QColor(0x44, 0x44, 0x44), 1.5, Qt::DashLine));
            auto* label = new QCPItemText(m_plot);
            label->setClipAxisRect(rect);
            label->position->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
            label->position->setCoords(static_cast<double>(sweep.seqs.front()), cap * 1.4);
            label->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
            label->setText(tr("GPU memory %1").arg(format_bytes(cap)));
        }
        if (sweep.naive_limit_seq > 0) {
            auto* limit = new QCPItemStraightLine(m_plot);
            limit->setClipAxisRect(rect);
            limit->point1->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
            limit->point2->setAxes(rect->axis(QCPAxis::atBottom), rect->axis(QCPAxis::atLeft));
            const double n = static_cast<double>(sweep.naive_limit_seq);
            limit->point1->setCoords(n, 1);
            limit->point2->setCoords(n, 10);
            limit->setPen(QPen(algorithm_colour(Algorithm::naive), 1.5, Qt::DashDotLine));
            auto* label = new QCPItemText(m_plot);
            label->setClipAxisRect(rect);
            label->position->setType(QCPItemPosition::ptAxisRectRatio);
            label->position->setAxisRect(rect);
            const double rx = std::log(n / rect->axis(QCPAxis::atBottom)->range().lower) /
                              std::log(rect->axis(QCPAxis::atBottom)->range().upper /
                                       rect->axis(QCPAxis::atBottom)->range().lower);
            label->position->setCoords(rx - 0.02, 0.03);
            label->setPositionAlignment(Qt::AlignRight | Qt::AlignTop);
            label->setColor(algorithm_colour(Algorithm::naive));
            label->setText(tr("naive N×N\nstops fitting\nat N = %1").arg(sweep.naive_limit_seq));
        }
        style_axis_rect(*rect);
        if (q == 0)
            for (int g = 0; g < m_plot->graphCount(); ++g)
                legend_row->addItem(new QCPPlottableLegendItem(legend_row, m_plot->graph(g)));
    }
    const auto* any = m_model->rowCount() > 0 ? &sweep : nullptr;
    m_title->setText(
        any ? tr("Scaling with sequence length (analytic model, default tiles) · naive's N×N "
                 "buffers grow as N², FlashAttention's footprint as N")
            : tr("Scaling: no data yet"));
    m_plot->replot();
}

}  // namespace flashscope::gui
