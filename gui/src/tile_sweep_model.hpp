#pragma once
// The tile sweep as a table, one row per (block_m, block_n): every metric the heatmap can show,
// whether the simulator accepted the tile, and its reason when not. Raw numbers in Qt::UserRole.
#include <QAbstractTableModel>

#include "tile_sweep.hpp"

namespace flashscope::gui {

class TileSweepModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        block_m,
        block_n,
        feasible,
        hbm_bytes,
        l2_bytes,
        sram_bytes,
        time_s,
        occupancy,
        bottleneck,
        warps,
        stages,
        reason,
        column_count
    };
    // The columns a heatmap can colour by.
    static constexpr Column k_metric_columns[] = {hbm_bytes, l2_bytes, sram_bytes, time_s,
                                                  occupancy};

    explicit TileSweepModel(QObject* parent = nullptr);

    void set_sweep(const TileSweep& sweep);
    const TileSweep& sweep() const { return m_sweep; }
    double value(int row, Column column) const;  // NaN for infeasible tiles

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    static QString column_title(Column column);
    QString tooltip(int row) const;

private:
    TileSweep m_sweep;
};

}  // namespace flashscope::gui
