#include "roofline_view.hpp"

#include <qcustomplot.h>

#include <QVBoxLayout>
#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

#include "label_placer.hpp"
#include "metric_format.hpp"
#include "plot_legend.hpp"
#include "plot_style.hpp"

namespace flashscope::gui {

namespace {

const QColor k_roof_colour(0x33, 0x33, 0x33);
const QColor k_fp32_sfu_colour(0x8c, 0x56, 0x4b);
constexpr double k_marker_px = 9;

Qt::PenStyle roof_style(MemoryLevel level) {
    switch (level) {
        case MemoryLevel::hbm:
            return Qt::SolidLine;
        case MemoryLevel::l2:
            return Qt::DashLine;
        case MemoryLevel::sram:
            return Qt::DotLine;
    }
    return Qt::SolidLine;
}

QCPScatterStyle::ScatterShape marker_shape(MemoryLevel level) {
    switch (level) {
        case MemoryLevel::hbm:
            return QCPScatterStyle::ssDisc;
        case MemoryLevel::l2:
            return QCPScatterStyle::ssTriangle;
        case MemoryLevel::sram:
            return QCPScatterStyle::ssSquare;
    }
    return QCPScatterStyle::ssDisc;
}

QCPScatterStyle marker(MemoryLevel level, const QColor& colour) {
    return QCPScatterStyle(marker_shape(level), colour.darker(115), colour,
                           level == MemoryLevel::sram ? 7 : k_marker_px);
}

QCPGraph* line(QCustomPlot& plot, const QVector<double>& x, const QVector<double>& y,
               const QPen& pen) {
    auto* graph = plot.addGraph();
    graph->setPen(pen);
    graph->setData(x, y, true);
    graph->removeFromLegend();
    return graph;
}

QCPItemText* text_item(QCustomPlot& plot, const QString& text, const QColor& colour) {
    auto* item = new QCPItemText(&plot);
    item->setText(text);
    item->setColor(colour);
    item->setPadding(QMargins(3, 1, 3, 1));
    item->setBrush(QColor(255, 255, 255, 215));  // readable over a roof line
    return item;
}

}  // namespace

RooflineView::RooflineView(RooflineModel* model, QWidget* parent)
    : QWidget(parent), m_model(model), m_plot(new QCustomPlot(this)) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot);
    m_labels = new LabelPlacer(m_plot);
    m_title = add_plot_title(*m_plot);
    place_legend_above_axes(*m_plot, 4);
    set_log_axis(
        *m_plot->xAxis,
        tr("arithmetic intensity (FLOP per byte moved at each level: ● HBM, ▲ L2, ■ SRAM)"));
    set_log_axis(*m_plot->yAxis, tr("achieved FLOP/s"));
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    style_plot(*m_plot);
    connect(m_model, &QAbstractItemModel::modelReset, this, &RooflineView::rebuild);
    rebuild();
}

QWidget* RooflineView::picture_widget() {
    return m_plot;
}

void RooflineView::rebuild() {
    m_plot->clearItems();
    m_plot->clearPlottables();
    m_labels->clear();
    const double peak = m_model->peak_flops_per_s();
    double x_lo = 1, x_hi = 1e4;
    double y_lo = peak > 0 ? peak / 1e3 : 1e9, y_hi = peak > 0 ? peak * 3 : 1e15;
    for (const auto& p : m_model->points()) {
        for (auto level : k_memory_levels) {
            if (p.intensity(level) <= 0) continue;
            x_lo = std::min(x_lo, p.intensity(level) / 3);
            x_hi = std::max(x_hi, p.intensity(level) * 4);
        }
        if (p.flops_per_s() > 0) y_lo = std::min(y_lo, p.flops_per_s() / 3);
    }
    add_roofs(x_lo, x_hi);
    add_points();
    m_plot->xAxis->setRange(x_lo, x_hi);
    m_plot->yAxis->setRange(y_lo, y_hi);
    QStringList names;
    for (const Algorithm algorithm : all_algorithms())
        names << QString::fromUtf8(to_string(algorithm));
    m_title->setText(tr("Roofline · %1 · each kernel of %2 at its FLOP per HBM, L2 and SRAM byte")
                         .arg(m_model->gpu_name(), names.join(QStringLiteral(", "))));
    m_plot->replot();
}

void RooflineView::add_roofs(double x_lo, double x_hi) {
    const double peak = m_model->peak_flops_per_s();
    if (peak <= 0) return;
    double widest = 0;
    // Each level's bandwidth roof rises until it meets the tensor-core peak at its ridge.
    for (auto level : k_memory_levels) {
        const double bw = m_model->bytes_per_s(level);
        if (bw <= 0) continue;
        widest = std::max(widest, bw);
        const double knee = std::min(peak / bw, x_hi);
        const QPen pen(k_roof_colour, level == MemoryLevel::hbm ? 2 : 1.6, roof_style(level));
        line(*m_plot, {x_lo, knee}, {x_lo * bw, knee * bw}, pen);
        // The legend entry shows the roof's line with the marker of that level's points.
        auto* key = m_plot->addGraph();
        key->setPen(pen);
        key->setScatterStyle(marker(level, QColor(0x99, 0x99, 0x99)));
        key->setName(tr("%1 %2/s · ridge %3 FLOP/B")
                         .arg(level_name(level), format_count(bw, QStringLiteral("B")))
                         .arg(peak / bw, 0, 'f', 0));
    }
    if (widest <= 0) return;
    const QPen peak_pen(Qt::black, 2);
    auto* peak_line = line(*m_plot, {peak / widest, x_hi}, {peak, peak}, peak_pen);
    peak_line->setName(tr("tensor-core peak (matmul FLOP)"));
    peak_line->addToLegend();
    m_labels->add_note(
        text_item(*m_plot,
                  tr("tensor-core peak %1").arg(format_count(peak, QStringLiteral("FLOP/s"))),
                  Qt::black),
        {x_hi, peak});

    // Kernels without tensor-core work: the roof of their own FP32 and exponential mix, one line
    // per distinct value.
    std::map<double, QStringList> fp32_sfu;
    for (const auto& p : m_model->points()) {
        if (p.roof != ComputeRoof::fp32_sfu || !(p.roof_flops_per_s > 0) || p.flops <= 0) continue;
        auto near = std::find_if(fp32_sfu.begin(), fp32_sfu.end(), [&](const auto& entry) {
            return std::abs(entry.first / p.roof_flops_per_s - 1) < 0.005;
        });
        if (near == fp32_sfu.end())
            near = fp32_sfu.emplace(p.roof_flops_per_s, QStringList{}).first;
        if (!near->second.contains(p.kernel)) near->second << p.kernel;
    }
    const QPen fp32_pen(k_fp32_sfu_colour, 1.6, Qt::DashDotLine);
    bool in_legend = false;
    for (const auto& [roof, kernels] : fp32_sfu) {
        auto* graph = line(*m_plot, {roof / widest, x_hi}, {roof, roof}, fp32_pen);
        if (!in_legend) {
            graph->setName(tr("FP32/SFU roof (kernels without tensor-core work)"));
            graph->addToLegend();
            in_legend = true;
        }
        m_labels->add_note(text_item(*m_plot,
                                     tr("FP32/SFU roof %1: %2")
                                         .arg(format_count(roof, QStringLiteral("FLOP/s")),
                                              kernels.join(QStringLiteral(", "))),
                                     k_fp32_sfu_colour),
                           {x_hi, roof});
    }
}

void RooflineView::add_points() {
    for (auto algorithm : all_algorithms()) {
        const QColor colour = algorithm_colour(algorithm);
        std::array<QCPGraph*, 3> graphs{};
        for (auto level : k_memory_levels) {
            auto* graph = m_plot->addGraph();
            graph->setLineStyle(QCPGraph::lsNone);
            graph->setScatterStyle(marker(level, colour));
            graph->setName(QStringLiteral("%1 per %2 byte")
                               .arg(QString::fromUtf8(to_string(algorithm)), level_name(level)));
            graph->removeFromLegend();
            graphs[static_cast<std::size_t>(level)] = graph;
        }
        bool any = false;
        for (const auto& p : m_model->points()) {
            const double y = p.flops_per_s();
            if (p.algorithm != algorithm || p.flops <= 0 || y <= 0) continue;
            double left = INFINITY, right = 0;
            for (auto level : k_memory_levels) {
                const double x = p.intensity(level);
                if (x <= 0) continue;
                graphs[static_cast<std::size_t>(level)]->addData(x, y);
                m_labels->add_marker({x, y}, k_marker_px / 2 + 1);
                left = std::min(left, x);
                right = std::max(right, x);
            }
            if (right <= 0) continue;
            any = true;
            auto* row = new QCPItemLine(m_plot);  // ties a kernel's three markers together
            row->setPen(QPen(QColor(colour.red(), colour.green(), colour.blue(), 110), 1));
            row->start->setCoords(left, y);
            row->end->setCoords(right, y);
            m_labels->add_label(
                text_item(
                    *m_plot,
                    tr("%1 · %2 · %3-bound").arg(p.kernel, format_seconds(p.time_s), p.bottleneck),
                    colour.darker(130)),
                {left, y}, {right, y});
        }
        if (any) {
            auto* key = m_plot->addGraph();  // one legend entry per algorithm
            key->setLineStyle(QCPGraph::lsNone);
            key->setScatterStyle(
                QCPScatterStyle(QCPScatterStyle::ssDisc, colour, colour, k_marker_px));
            key->setName(QString::fromUtf8(to_string(algorithm)));
        }
    }
}

}  // namespace flashscope::gui
