#pragma once
// Tile explorer: a heatmap over block_m × block_n of one metric from TileSweepModel, linear or log
// colour, infeasible tiles grey with the simulator's reason on hover; a click selects a tile.
#include <QWidget>

#include "exportable_view.hpp"
#include "tile_sweep_model.hpp"

class QCustomPlot;
class QCPColorMap;
class QCPColorScale;
class QCPItemRect;
class QCPItemText;
class QCPTextElement;
class QComboBox;
class QCheckBox;

namespace flashscope::gui {

class TileHeatmapView : public QWidget, public ExportableView {
    Q_OBJECT
public:
    explicit TileHeatmapView(TileSweepModel* model, QWidget* parent = nullptr);

    void set_metric(TileSweepModel::Column metric);
    TileSweepModel::Column metric() const { return m_metric; }
    void set_log_colour(bool log);
    void set_current_tile(std::int64_t block_m, std::int64_t block_n);
    // Tooltip text of the cell under a point in plot pixels (empty outside the grid).
    QString tooltip_at(const QPoint& pixel) const;
    int row_at(const QPoint& pixel) const;  // model row, -1 outside

    QString export_name() const override { return QStringLiteral("tile_explorer"); }
    QString title() const override { return QStringLiteral("Tile explorer"); }
    QWidget* picture_widget() override;
    const QAbstractItemModel* data_model() const override { return m_model; }

Q_SIGNALS:
    void tile_selected(qint64 block_m, qint64 block_n);

private:
    void rebuild();
    void place_marker(QCPItemRect* marker, std::int64_t block_m, std::int64_t block_n);

    TileSweepModel* m_model;
    TileSweepModel::Column m_metric = TileSweepModel::time_s;
    bool m_log = true;
    std::int64_t m_current_m = 0;
    std::int64_t m_current_n = 0;
    QComboBox* m_metric_box;
    QCheckBox* m_log_box;
    QCustomPlot* m_plot;
    QCPColorMap* m_map;
    QCPColorScale* m_scale;
    QCPItemRect* m_current_marker;
    QCPItemRect* m_best_marker;
    QCPItemText* m_best_label;
    QCPTextElement* m_title;
};

}  // namespace flashscope::gui
