#pragma once
// The main window: the parameter panel in a dock, the six views as tabs, a status bar with
// progress and cancel, menus with shortcuts (sessions, validation files, export), the window
// layout remembered through QSettings.
#include <QMainWindow>
#include <vector>

#include "session_file.hpp"
#include "simulation_controller.hpp"

class QLabel;
class QProgressBar;
class QPushButton;
class QTabWidget;

namespace flashscope::gui {

class ExportableView;
class MemoryHierarchyModel;
class ParameterPanel;
class RooflineModel;
class ScalingModel;
class TileHeatmapView;
class TileSweepModel;
class TimelineModel;
class ValidationModel;
class ValidationView;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    ParameterPanel* panel() const { return m_panel; }
    SimulationController* controller() const { return m_controller; }
    const std::vector<ExportableView*>& views() const { return m_views; }
    ExportableView* current_view() const;
    void show_view(int index);
    TileSweepModel* tile_model() const { return m_tile_model; }
    MemoryHierarchyModel* hierarchy_model() const { return m_hierarchy_model; }
    ScalingModel* scaling_model() const { return m_scaling_model; }
    TimelineModel* timeline_model() const { return m_timeline_model; }
    RooflineModel* roofline_model() const { return m_roofline_model; }
    ValidationModel* validation_model() const { return m_validation_model; }
    ValidationView* validation_view() const { return m_validation_view; }
    QString status_text() const;

    Session session() const;
    void apply_session(const Session& session);
    bool save_session_to(const QString& path, QString* error = nullptr);
    bool open_session_from(const QString& path, QString* error = nullptr);
    bool open_validation_file(const QString& path, QString* error = nullptr);

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    void build_menus();
    void show_snapshot();
    void on_failed(const QString& field, const QString& message);
    void export_current(const QString& kind);

    ParameterPanel* m_panel;
    SimulationController* m_controller;
    QTabWidget* m_tabs;
    std::vector<ExportableView*> m_views;
    TileSweepModel* m_tile_model;
    MemoryHierarchyModel* m_hierarchy_model;
    ScalingModel* m_scaling_model;
    TimelineModel* m_timeline_model;
    RooflineModel* m_roofline_model;
    ValidationModel* m_validation_model;
    TileHeatmapView* m_heatmap;
    ValidationView* m_validation_view;
    QProgressBar* m_progress;
    QPushButton* m_cancel;
    QLabel* m_status;
    QString m_validation_path;
};

}  // namespace flashscope::gui
