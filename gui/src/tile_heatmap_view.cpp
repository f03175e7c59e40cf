#include "tile_heatmap_view.hpp"

#include <qcustomplot.h>

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QToolTip>
#include <QVBoxLayout>
#include <cmath>

#include "metric_format.hpp"
#include "plot_style.hpp"
#include "unit_ticker.hpp"

namespace flashscope::gui {

TileHeatmapView::TileHeatmapView(TileSweepModel* model, QWidget* parent)
    : QWidget(parent), m_model(model), m_plot(new QCustomPlot(this)) {
    m_metric_box = new QComboBox(this);
    m_metric_box->setObjectName(QStringLiteral("heatmap_metric"));
    for (auto column : TileSweepModel::k_metric_columns)
        m_metric_box->addItem(TileSweepModel::column_title(column), static_cast<int>(column));
    m_metric_box->setCurrentIndex(m_metric_box->findData(static_cast<int>(m_metric)));
    m_log_box = new QCheckBox(tr("log colour"), this);
    m_log_box->setObjectName(QStringLiteral("heatmap_log"));
    m_log_box->setChecked(m_log);
    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Colour by"), this));
    controls->addWidget(m_metric_box);
    controls->addWidget(m_log_box);
    controls->addStretch();
    controls->addWidget(new QLabel(tr("hover for values · click a tile to select it"), this));
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(m_plot, 1);

    m_title = add_plot_title(*m_plot);
    m_map = new QCPColorMap(m_plot->xAxis, m_plot->yAxis);
    m_scale = new QCPColorScale(m_plot);
    m_plot->plotLayout()->addElement(1, 1, m_scale);
    m_map->setColorScale(m_scale);
    QCPColorGradient gradient;  // viridis: dark = low, yellow = high
    gradient.clearColorStops();
    gradient.setColorStopAt(0.0, QColor(0x44, 0x01, 0x54));
    gradient.setColorStopAt(0.25, QColor(0x3b, 0x52, 0x8b));
    gradient.setColorStopAt(0.5, QColor(0x21, 0x91, 0x8c));
    gradient.setColorStopAt(0.75, QColor(0x5e, 0xc9, 0x62));
    gradient.setColorStopAt(1.0, QColor(0xfd, 0xe7, 0x25));
    gradient.setNanHandling(QCPColorGradient::nhNanColor);
    gradient.setNanColor(QColor(0xd9, 0xd9, 0xd9));
    m_map->setGradient(gradient);
    m_map->setInterpolate(false);
    auto* margins = new QCPMarginGroup(m_plot);
    m_plot->axisRect()->setMarginGroup(QCP::msBottom | QCP::msTop, margins);
    m_scale->setMarginGroup(QCP::msBottom | QCP::msTop, margins);
    m_plot->xAxis->setLabel(tr("block_n (key rows per step)"));
    m_plot->yAxis->setLabel(tr("block_m (query rows per CTA)"));
    m_plot->xAxis->grid()->setVisible(false);
    m_plot->yAxis->grid()->setVisible(false);

    m_current_marker = new QCPItemRect(m_plot);
    m_current_marker->setPen(QPen(Qt::white, 3));
    m_current_marker->setBrush(Qt::NoBrush);
    m_best_marker = new QCPItemRect(m_plot);
    m_best_marker->setPen(QPen(QColor(0xff, 0x40, 0x40), 2, Qt::DashLine));
    m_best_marker->setBrush(Qt::NoBrush);
    m_best_label = new QCPItemText(m_plot);
    m_best_label->setColor(QColor(0xb0, 0x10, 0x10));
    m_best_label->setBrush(QColor(255, 255, 255, 225));
    m_best_label->setPen(QPen(QColor(0xb0, 0x10, 0x10)));
    m_best_label->setPadding(QMargins(4, 2, 4, 2));
    m_best_label->setLayer(QStringLiteral("overlay"));
    style_plot(*m_plot);

    connect(m_metric_box, &QComboBox::currentIndexChanged, this, [this] {
        set_metric(static_cast<TileSweepModel::Column>(m_metric_box->currentData().toInt()));
    });
    connect(m_log_box, &QCheckBox::toggled, this, &TileHeatmapView::set_log_colour);
    connect(m_model, &QAbstractItemModel::modelReset, this, &TileHeatmapView::rebuild);
    connect(m_plot, &QCustomPlot::mouseMove, this, [this](QMouseEvent* event) {
        const QString tip = tooltip_at(event->pos());
        if (tip.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(event->globalPosition().toPoint(), tip, m_plot);
    });
    connect(m_plot, &QCustomPlot::mousePress, this, [this](QMouseEvent* event) {
        const int row = row_at(event->pos());
        if (row < 0) return;
        const auto& cell = m_model->sweep().cells.at(static_cast<std::size_t>(row));
        Q_EMIT tile_selected(cell.block_m, cell.block_n);
    });
    rebuild();
}

QWidget* TileHeatmapView::picture_widget() {
    return m_plot;
}

void TileHeatmapView::set_metric(TileSweepModel::Column metric) {
    m_metric = metric;
    const int index = m_metric_box->findData(static_cast<int>(metric));
    if (index != m_metric_box->currentIndex()) m_metric_box->setCurrentIndex(index);
    rebuild();
}

void TileHeatmapView::set_log_colour(bool log) {
    m_log = log;
    if (m_log_box->isChecked() != log) m_log_box->setChecked(log);
    rebuild();
}

void TileHeatmapView::set_current_tile(std::int64_t block_m, std::int64_t block_n) {
    m_current_m = block_m;
    m_current_n = block_n;
    place_marker(m_current_marker, block_m, block_n);
    m_plot->replot();
}

int TileHeatmapView::row_at(const QPoint& pixel) const {
    const auto& sweep = m_model->sweep();
    if (sweep.empty() || !m_plot->axisRect()->rect().contains(pixel)) return -1;
    const auto column = std::lround(m_plot->xAxis->pixelToCoord(pixel.x()));
    const auto row = std::lround(m_plot->yAxis->pixelToCoord(pixel.y()));
    const auto nx = static_cast<long>(sweep.block_ns.size());
    const auto ny = static_cast<long>(sweep.block_ms.size());
    if (column < 0 || column >= nx || row < 0 || row >= ny) return -1;
    return static_cast<int>(row * nx + column);
}

QString TileHeatmapView::tooltip_at(const QPoint& pixel) const {
    const int row = row_at(pixel);
    return row < 0 ? QString() : m_model->tooltip(row);
}

void TileHeatmapView::place_marker(QCPItemRect* marker, std::int64_t block_m,
                                   std::int64_t block_n) {
    const auto& sweep = m_model->sweep();
    const auto ix =
        std::find(sweep.block_ns.begin(), sweep.block_ns.end(), block_n) - sweep.block_ns.begin();
    const auto iy =
        std::find(sweep.block_ms.begin(), sweep.block_ms.end(), block_m) - sweep.block_ms.begin();
    const bool inside = ix < static_cast<long>(sweep.block_ns.size()) &&
                        iy < static_cast<long>(sweep.block_ms.size());
    marker->setVisible(inside);
    if (!inside) return;
    marker->topLeft->setCoords(static_cast<double>(ix) - 0.5, static_cast<double>(iy) + 0.5);
    marker->bottomRight->setCoords(static_cast<double>(ix) + 0.5, static_cast<double>(iy) - 0.5);
}

void TileHeatmapView::rebuild() {
    const auto& sweep = m_model->sweep();
    const int nx = static_cast<int>(sweep.block_ns.size());
    const int ny = static_cast<int>(sweep.block_ms.size());
    m_map->data()->setSize(std::max(nx, 1), std::max(ny, 1));
    m_map->data()->setRange(QCPRange(0, std::max(nx - 1, 1)), QCPRange(0, std::max(ny - 1, 1)));
    double lo = INFINITY, hi = -INFINITY;
    int best_row = -1;
    double best_time = INFINITY;
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const double v = m_model->value(row, m_metric);
        m_map->data()->setCell(row % nx, row / nx, v);
        if (std::isfinite(v) && (!m_log || v > 0)) {
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
        const double t = m_model->value(row, TileSweepModel::time_s);
        if (std::isfinite(t) && t < best_time) {
            best_time = t;
            best_row = row;
        }
    }
    if (!std::isfinite(lo)) lo = 0, hi = 1;
    if (hi <= lo) hi = lo * 1.01 + 1e-12;
    const auto scale_type = m_log ? QCPAxis::stLogarithmic : QCPAxis::stLinear;
    m_scale->setDataScaleType(scale_type);
    m_map->setDataScaleType(scale_type);
    m_map->setDataRange(QCPRange(lo, hi));
    m_scale->axis()->setLabel(
        TileSweepModel::column_title(m_metric).remove(QStringLiteral(" (s)")));
    const auto unit = m_metric == TileSweepModel::time_s      ? UnitTicker::Unit::seconds
                      : m_metric == TileSweepModel::occupancy ? UnitTicker::Unit::fraction
                                                              : UnitTicker::Unit::bytes;
    QSharedPointer<UnitTicker> ticker(new UnitTicker(unit));
    ticker->setTickCount(6);
    m_scale->axis()->setTicker(ticker);

    QSharedPointer<QCPAxisTickerText> xticks(new QCPAxisTickerText), yticks(new QCPAxisTickerText);
    for (int i = 0; i < nx; ++i)
        xticks->addTick(i, QString::number(sweep.block_ns[static_cast<std::size_t>(i)]));
    for (int i = 0; i < ny; ++i)
        yticks->addTick(i, QString::number(sweep.block_ms[static_cast<std::size_t>(i)]));
    m_plot->xAxis->setTicker(xticks);
    m_plot->yAxis->setTicker(yticks);
    m_plot->xAxis->setRange(-0.5, nx - 0.5);
    m_plot->yAxis->setRange(-0.5, ny - 0.5);

    int feasible = 0;
    for (const auto& c : sweep.cells) feasible += c.feasible ? 1 : 0;
    m_title->setText(
        tr("Tile explorer · %1 over block_m × block_n (%2 model) · %3 of %4 tiles feasible\n"
           "white frame: selected tile · red dashes: fastest · grey: rejected by the simulator")
            .arg(TileSweepModel::column_title(m_metric).remove(QStringLiteral(" (s)")))
            .arg(QString::fromUtf8(sim::to_string(sweep.model)))
            .arg(feasible)
            .arg(sweep.cells.size()));
    m_best_marker->setVisible(best_row >= 0);
    m_best_label->setVisible(best_row >= 0);
    if (best_row >= 0) {
        const auto& best = sweep.cells.at(static_cast<std::size_t>(best_row));
        place_marker(m_best_marker, best.block_m, best.block_n);
        // Above the cell, or below it in the top row; a light box keeps it readable on any colour.
        const bool top_row = best_row / nx == ny - 1;
        m_best_label->position->setCoords(best_row % nx, best_row / nx + (top_row ? -0.5 : 0.5));
        m_best_label->setPositionAlignment(Qt::AlignHCenter |
                                           (top_row ? Qt::AlignTop : Qt::AlignBottom));
        m_best_label->setText(tr("fastest %1×%2: %3")
                                  .arg(best.block_m)
                                  .arg(best.block_n)
                                  .arg(format_seconds(best_time)));
    }
    place_marker(m_current_marker, m_current_m, m_current_n);
    m_plot->replot();
}

}  // namespace flashscope::gui
