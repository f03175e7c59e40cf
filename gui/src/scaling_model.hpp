#pragma once
// The scaling sweep as a table: one row per sequence length, then HBM bytes, footprint and time
// of each algorithm the sweep ran. Raw numbers in Qt::UserRole (empty when the point was rejected).
#include <QAbstractTableModel>

#include "scaling_sweep.hpp"

namespace flashscope::gui {

class ScalingModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Quantity { hbm_bytes, footprint_bytes, time_s, quantity_count };

    explicit ScalingModel(QObject* parent = nullptr);

    void set_sweep(const ScalingSweep& sweep);
    const ScalingSweep& sweep() const { return m_sweep; }
    // NaN where the simulator rejected the point. `algorithm_index` indexes sweep().algorithms.
    double value(int row, std::size_t algorithm_index, Quantity quantity) const;
    static QString quantity_title(Quantity quantity);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    ScalingSweep m_sweep;
};

}  // namespace flashscope::gui
