#include "main_window.hpp"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>

#include "about_text.hpp"
#include "flashscope/core/error.hpp"
#include "memory_hierarchy_model.hpp"
#include "memory_hierarchy_view.hpp"
#include "metric_format.hpp"
#include "parameter_panel.hpp"
#include "roofline_model.hpp"
#include "roofline_view.hpp"
#include "scaling_model.hpp"
#include "scaling_view.hpp"
#include "tile_heatmap_view.hpp"
#include "tile_sweep_model.hpp"
#include "timeline_model.hpp"
#include "timeline_view.hpp"
#include "validation_model.hpp"
#include "validation_view.hpp"
#include "view_renderer.hpp"

namespace flashscope::gui {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent),
      m_panel(new ParameterPanel),
      m_controller(new SimulationController(this)),
      m_tabs(new QTabWidget(this)),
      m_tile_model(new TileSweepModel(this)),
      m_hierarchy_model(new MemoryHierarchyModel(this)),
      m_scaling_model(new ScalingModel(this)),
      m_timeline_model(new TimelineModel(this)),
      m_roofline_model(new RooflineModel(this)),
      m_validation_model(new ValidationModel(this)) {
    setWindowTitle(tr("flashscope — where attention's bytes and cycles go"));
    setObjectName(QStringLiteral("main_window"));
    m_heatmap = new TileHeatmapView(m_tile_model);
    m_validation_view = new ValidationView(m_validation_model);
    auto* hierarchy = new MemoryHierarchyView(m_hierarchy_model);
    auto* scaling = new ScalingView(m_scaling_model);
    auto* timeline = new TimelineView(m_timeline_model);
    auto* roofline = new RooflineView(m_roofline_model);
    const std::pair<QWidget*, ExportableView*> tabs[] = {
        {m_heatmap, m_heatmap}, {hierarchy, hierarchy}, {scaling, scaling},
        {timeline, timeline},   {roofline, roofline},   {m_validation_view, m_validation_view}};
    for (const auto& [widget, view] : tabs) {
        m_tabs->addTab(widget, view->title());
        m_views.push_back(view);
    }
    setCentralWidget(m_tabs);

    auto* dock = new QDockWidget(tr("Parameters"), this);
    dock->setObjectName(QStringLiteral("parameters_dock"));
    auto* scroll = new QScrollArea(dock);
    scroll->setWidget(m_panel);
    scroll->setWidgetResizable(true);
    scroll->setMinimumWidth(260);
    dock->setWidget(scroll);
    addDockWidget(Qt::LeftDockWidgetArea, dock);

    m_progress = new QProgressBar(this);
    m_progress->setRange(0, 400);
    m_progress->setMaximumWidth(180);
    m_progress->setTextVisible(false);
    m_progress->setVisible(false);
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setObjectName(QStringLiteral("cancel_button"));
    m_cancel->setVisible(false);
    m_cancel->setShortcut(Qt::Key_Escape);
    m_status = new QLabel(this);
    statusBar()->addWidget(m_status, 1);
    statusBar()->addPermanentWidget(m_progress);
    statusBar()->addPermanentWidget(m_cancel);

    connect(m_panel, &ParameterPanel::configuration_edited, m_controller,
            &SimulationController::request);
    connect(m_panel, &ParameterPanel::gpu_file_requested, this, [this] {
        const auto path = QFileDialog::getOpenFileName(this, tr("GPU description"), {},
                                                       tr("GPU YAML (*.yaml *.yml)"));
        if (!path.isEmpty()) m_panel->add_gpu_file(path);
    });
    connect(m_controller, &SimulationController::snapshot_ready, this, &MainWindow::show_snapshot);
    connect(m_controller, &SimulationController::simulation_failed, this, &MainWindow::on_failed);
    connect(m_controller, &SimulationController::progress_changed, m_progress,
            &QProgressBar::setValue);
    connect(m_controller, &SimulationController::busy_changed, this, [this](bool busy) {
        m_progress->setVisible(busy);
        m_cancel->setVisible(busy);
        if (busy) m_progress->setValue(0);
    });
    connect(m_controller, &SimulationController::cancelled, this,
            [this] { m_status->setText(tr("Cancelled; showing the last result")); });
    connect(m_cancel, &QPushButton::clicked, m_controller, &SimulationController::cancel);
    connect(m_heatmap, &TileHeatmapView::tile_selected, this,
            [this](qint64 block_m, qint64 block_n) { m_panel->set_tile_blocks(block_m, block_n); });
    connect(m_validation_view, &ValidationView::open_requested, this, [this] {
        const auto path = QFileDialog::getOpenFileName(this, tr("Validation file"), {},
                                                       tr("flashscope validation (*.json *.csv)"));
        QString error;
        if (!path.isEmpty() && !open_validation_file(path, &error))
            QMessageBox::warning(this, tr("Validation file"), error);
    });
    connect(m_validation_view, &ValidationView::record_selected, this, [this](int row) {
        m_panel->set_configuration(m_validation_model->configuration(row));
    });

    build_menus();
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    m_tabs->setCurrentIndex(settings.value(QStringLiteral("window/view"), 0).toInt());
    if (!settings.contains(QStringLiteral("window/geometry"))) resize(1400, 860);
    m_controller->request(m_panel->configuration());
}

MainWindow::~MainWindow() = default;

void MainWindow::build_menus() {
    auto* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&Open session…"), QKeySequence::Open, this, [this] {
        const auto path = QFileDialog::getOpenFileName(this, tr("Open session"), {},
                                                       tr("flashscope session (*.yaml *.yml)"));
        QString error;
        if (!path.isEmpty() && !open_session_from(path, &error))
            QMessageBox::warning(this, tr("Open session"), error);
    });
    file->addAction(tr("&Save session…"), QKeySequence::Save, this, [this] {
        const auto path =
            QFileDialog::getSaveFileName(this, tr("Save session"), QStringLiteral("session.yaml"),
                                         tr("flashscope session (*.yaml *.yml)"));
        QString error;
        if (!path.isEmpty() && !save_session_to(path, &error))
            QMessageBox::warning(this, tr("Save session"), error);
    });
    file->addAction(tr("Open &validation file…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O),
                    this, [this] {
                        show_view(5);
                        Q_EMIT m_validation_view->open_requested();
                    });
    file->addSeparator();
    file->addAction(tr("Export view as &PNG…"), QKeySequence(Qt::CTRL | Qt::Key_E), this,
                    [this] { export_current(QStringLiteral("png")); });
    file->addAction(tr("Export view as S&VG…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E),
                    this, [this] { export_current(QStringLiteral("svg")); });
    file->addAction(tr("Export view data as &CSV…"), QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_E),
                    this, [this] { export_current(QStringLiteral("csv")); });
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    auto* view = menuBar()->addMenu(tr("&View"));
    for (int i = 0; i < static_cast<int>(m_views.size()); ++i)
        view->addAction(m_views[static_cast<std::size_t>(i)]->title(),
                        QKeySequence(Qt::CTRL | (Qt::Key_1 + i)), this,
                        [this, i] { show_view(i); });
    view->addSeparator();
    view->addAction(tr("&Re-run simulation"), QKeySequence::Refresh, this,
                    [this] { m_controller->request(m_panel->configuration()); });

    auto* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About flashscope"), this,
                    [this] { QMessageBox::about(this, tr("About flashscope"), about_text()); });
    help->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt);
}

ExportableView* MainWindow::current_view() const {
    const int index = m_tabs->currentIndex();
    return index >= 0 ? m_views.at(static_cast<std::size_t>(index)) : nullptr;
}

void MainWindow::show_view(int index) {
    m_tabs->setCurrentIndex(index);
}

QString MainWindow::status_text() const {
    return m_status->text();
}

void MainWindow::show_snapshot() {
    const auto* snap = m_controller->snapshot();
    if (!snap) return;
    m_panel->clear_errors();
    if (snap->tiles_ready) {
        m_tile_model->set_sweep(snap->tiles);
        m_heatmap->set_current_tile(snap->selected.tile.block_m, snap->selected.tile.block_n);
    }
    const auto* naive = snap->result_of(Algorithm::naive);
    const auto* tiled = snap->tiled();
    m_hierarchy_model->set_results(snap->gpu, naive ? std::optional(*naive) : std::nullopt,
                                   tiled ? std::optional(*tiled) : std::nullopt);
    m_scaling_model->set_sweep(snap->scaling);
    m_timeline_model->set_timeline(snap->selected.timeline);
    std::vector<sim::Result> all;
    for (const auto& r : snap->by_algorithm)
        if (r) all.push_back(*r);
    m_roofline_model->set_results(snap->gpu, all, snap->config.algorithm);
    const auto& t = snap->selected.totals;
    m_status->setText(
        tr("%1 %2×%3 on %4: %5, HBM %6, bound by %7 · computed in %8 ms")
            .arg(QString::fromUtf8(to_string(snap->config.algorithm)))
            .arg(snap->selected.tile.block_m)
            .arg(snap->selected.tile.block_n)
            .arg(QString::fromStdString(snap->gpu.name), format_seconds(t.time_s),
                 format_bytes(static_cast<double>(t.hbm_read_bytes + t.hbm_write_bytes)),
                 QString::fromUtf8(sim::to_string(snap->selected.bottleneck)))
            .arg(snap->compute_seconds * 1e3, 0, 'f', 0) +
        (snap->tiles_ready ? QString() : tr(" · sweeping tiles…")));
}

void MainWindow::on_failed(const QString& field, const QString& message) {
    m_panel->mark_error(field, message);
    m_status->setText(tr("Not simulated: %1 — the views show the last valid result").arg(message));
}

void MainWindow::export_current(const QString& kind) {
    auto* view = current_view();
    if (!view) return;
    const QString filter = kind == QLatin1String("csv")   ? tr("CSV (*.csv)")
                           : kind == QLatin1String("svg") ? tr("SVG (*.svg)")
                                                          : tr("PNG (*.png)");
    const auto path =
        QFileDialog::getSaveFileName(this, tr("Export %1").arg(view->title()),
                                     view->export_name() + QLatin1Char('.') + kind, filter);
    if (path.isEmpty()) return;
    const QSize size = view->picture_widget()->size().expandedTo(QSize(800, 500));
    QString error;
    const bool ok = kind == QLatin1String("csv")   ? export_view_csv(*view, path, &error)
                    : kind == QLatin1String("svg") ? export_view_svg(*view, path, size, &error)
                                                   : export_view_png(*view, path, size, &error);
    if (!ok)
        QMessageBox::warning(this, tr("Export"), error);
    else
        m_status->setText(tr("Wrote %1").arg(path));
}

Session MainWindow::session() const {
    Session s;
    s.config = m_panel->configuration();
    s.current_view = m_tabs->currentIndex();
    s.validation_file = m_validation_path.toStdString();
    return s;
}

void MainWindow::apply_session(const Session& session) {
    m_panel->set_configuration(session.config);
    show_view(session.current_view);
    if (!session.validation_file.empty())
        open_validation_file(QString::fromStdString(session.validation_file));
}

bool MainWindow::save_session_to(const QString& path, QString* error) {
    try {
        save_session(path.toStdString(), session());
        m_status->setText(tr("Saved session %1").arg(path));
        return true;
    } catch (const std::exception& e) {
        if (error) *error = QString::fromStdString(e.what());
        return false;
    }
}

bool MainWindow::open_session_from(const QString& path, QString* error) {
    try {
        apply_session(load_session(path.toStdString()));
        return true;
    } catch (const std::exception& e) {
        if (error) *error = QString::fromStdString(e.what());
        return false;
    }
}

bool MainWindow::open_validation_file(const QString& path, QString* error) {
    try {
        m_validation_model->open(path);
        m_validation_path = path;
        return true;
    } catch (const std::exception& e) {
        if (error) *error = QString::fromStdString(e.what());
        return false;
    }
}

void MainWindow::closeEvent(QCloseEvent* event) {
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("window/view"), m_tabs->currentIndex());
    event->accept();
}

}  // namespace flashscope::gui
