#include "validation_view.hpp"

#include <qcustomplot.h>

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>
#include <algorithm>
#include <cmath>

#include "flashscope/core/metrics.hpp"
#include "plot_legend.hpp"
#include "plot_style.hpp"

namespace flashscope::gui {

namespace {

QString percent_text(double fraction) {
    return QStringLiteral("%1 %").arg(fraction * 100, 0, 'f', 1);
}

}  // namespace

ValidationView::ValidationView(ValidationModel* model, QWidget* parent)
    : QWidget(parent),
      m_model(model),
      m_plot(new QCustomPlot(this)),
      m_table(new QTableView(this)) {
    auto* open = new QPushButton(tr("Open validation file…"), this);
    m_metric_box = new QComboBox(this);
    m_metric_box->setObjectName(QStringLiteral("validation_metric"));
    m_summary = new QLabel(this);
    auto* controls = new QHBoxLayout;
    controls->addWidget(open);
    controls->addWidget(new QLabel(tr("Metric"), this));
    controls->addWidget(m_metric_box);
    controls->addWidget(m_summary, 1);
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_table->verticalHeader()->setVisible(false);
    m_table->setAlternatingRowColors(true);
    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_plot);
    splitter->addWidget(m_table);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(controls);
    layout->addWidget(splitter, 1);

    m_title = add_plot_title(*m_plot);
    set_log_axis(*m_plot->xAxis, tr("measured"));
    set_log_axis(*m_plot->yAxis, tr("predicted"));
    place_legend_above_axes(*m_plot, 6);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    style_plot(*m_plot);

    connect(open, &QPushButton::clicked, this, &ValidationView::open_requested);
    connect(m_metric_box, &QComboBox::currentIndexChanged, this, &ValidationView::replot);
    connect(m_model, &QAbstractItemModel::modelReset, this, &ValidationView::rebuild);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                m_selected = current.isValid() ? current.row() : -1;
                replot();
                if (m_selected >= 0) Q_EMIT record_selected(m_selected);
            });
    rebuild();
}

QWidget* ValidationView::picture_widget() {
    return m_plot;
}

QString ValidationView::metric() const {
    return m_metric_box->currentText();
}

void ValidationView::set_metric(const QString& metric) {
    const int index = m_metric_box->findText(metric);
    if (index >= 0) m_metric_box->setCurrentIndex(index);
}

void ValidationView::select_record(int row) {
    m_table->selectRow(row);
}

void ValidationView::rebuild() {
    const QString previous = m_metric_box->currentText();
    m_metric_box->blockSignals(true);
    m_metric_box->clear();
    for (const auto& m : m_model->metrics()) m_metric_box->addItem(QString::fromStdString(m));
    const int keep = m_metric_box->findText(previous);
    const int time = m_metric_box->findText(QStringLiteral("time_s"));
    m_metric_box->setCurrentIndex(keep >= 0 ? keep : time >= 0 ? time : 0);
    m_metric_box->blockSignals(false);
    m_selected = -1;
    const auto& run = m_model->validation();
    m_summary->setText(run.records.empty()
                           ? tr("no file open")
                           : tr("%1 · %2 records · device %3 · preset %4 · %5 model")
                                 .arg(QFileInfo(m_model->path()).fileName())
                                 .arg(run.records.size())
                                 .arg(QString::fromStdString(run.device),
                                      QString::fromStdString(run.gpu_preset),
                                      QString::fromStdString(run.model)));
    replot();
}

void ValidationView::replot() {
    m_plot->clearItems();
    m_plot->clearPlottables();
    const std::string metric = m_metric_box->currentText().toStdString();
    double lo = INFINITY, hi = 0;
    // One graph per registered algorithm, indexed by Algorithm::index().
    std::vector<QCPGraph*> per_algorithm;
    for (Algorithm algorithm : all_algorithms()) {
        auto* graph = m_plot->addGraph();
        graph->setName(QString::fromUtf8(to_string(algorithm)));
        graph->setLineStyle(QCPGraph::lsNone);
        const QColor c = algorithm_colour(algorithm);
        graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, c, c, 8));
        per_algorithm.push_back(graph);
    }
    auto* selected = m_plot->addGraph();
    selected->setName(tr("selected record"));
    selected->setLineStyle(QCPGraph::lsNone);
    selected->setScatterStyle(
        QCPScatterStyle(QCPScatterStyle::ssCircle, QPen(Qt::black, 2), Qt::NoBrush, 16));
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const auto& e = m_model->record(row);
        const auto info = find_metric(metric);
        if (!info || !e.is_measured(metric)) continue;
        const double measured = info->get(e.measured), predicted = info->get(e.predicted);
        if (!(measured > 0) || !(predicted > 0)) continue;
        per_algorithm.at(e.key.algorithm.index())->addData(measured, predicted);
        if (row == m_selected) selected->addData(measured, predicted);
        lo = std::min({lo, measured, predicted});
        hi = std::max({hi, measured, predicted});
    }
    for (auto* g : per_algorithm)
        if (g->dataCount() == 0) g->removeFromLegend();
    if (selected->dataCount() == 0) selected->removeFromLegend();
    if (!std::isfinite(lo)) lo = 1, hi = 10;
    lo /= 2;
    hi *= 2;
    // y = x and the ±10 %, ±25 % bands.
    const struct {
        double factor;
        QPen pen;
        QString name;
    } lines[] = {
        {1.0, QPen(QColor(0x22, 0x22, 0x22), 1.5), tr("y = x")},
        {1.10, QPen(QColor(0x2c, 0xa0, 0x2c), 1, Qt::DashLine), tr("±10 %")},
        {0.90, QPen(QColor(0x2c, 0xa0, 0x2c), 1, Qt::DashLine), QString()},
        {1.25, QPen(QColor(0xff, 0x7f, 0x0e), 1, Qt::DotLine), tr("±25 %")},
        {0.75, QPen(QColor(0xff, 0x7f, 0x0e), 1, Qt::DotLine), QString()},
    };
    for (const auto& line : lines) {
        auto* g = m_plot->addGraph();
        g->setPen(line.pen);
        g->setData({lo, hi}, {lo * line.factor, hi * line.factor});
        if (line.name.isEmpty())
            g->removeFromLegend();
        else
            g->setName(line.name);
    }
    m_plot->xAxis->setRange(lo, hi);
    m_plot->yAxis->setRange(lo, hi);
    m_plot->xAxis->setLabel(tr("measured %1").arg(QString::fromStdString(metric)));
    m_plot->yAxis->setLabel(tr("predicted %1").arg(QString::fromStdString(metric)));
    // The statistics are validate's (the file's summary), not recomputed here.
    const auto* summary = m_model->error_summary(metric);
    m_title->setText(
        summary == nullptr
            ? tr("Predicted vs measured: open a file written by flashscope validate")
            : tr("Predicted vs measured · %1 · %2 · %3 records · median |error| %4 · p90 %5")
                  .arg(QString::fromStdString(metric),
                       QString::fromStdString(m_model->validation().device))
                  .arg(summary->count)
                  .arg(percent_text(summary->median_abs), percent_text(summary->p90_abs)));
    m_plot->replot();
}

}  // namespace flashscope::gui
