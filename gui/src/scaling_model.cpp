#include "scaling_model.hpp"

#include <cmath>
#include <limits>

#include "metric_format.hpp"

namespace flashscope::gui {

ScalingModel::ScalingModel(QObject* parent) : QAbstractTableModel(parent) {}

void ScalingModel::set_sweep(const ScalingSweep& sweep) {
    beginResetModel();
    m_sweep = sweep;
    endResetModel();
}

QString ScalingModel::quantity_title(Quantity quantity) {
    switch (quantity) {
        case hbm_bytes:
            return QStringLiteral("HBM bytes");
        case footprint_bytes:
            return QStringLiteral("HBM footprint");
        case time_s:
            return QStringLiteral("time (s)");
        case quantity_count:
            break;
    }
    return {};
}

double ScalingModel::value(int row, std::size_t algorithm_index, Quantity quantity) const {
    const auto& point = m_sweep.totals.at(algorithm_index).at(static_cast<std::size_t>(row));
    if (!point) return std::numeric_limits<double>::quiet_NaN();
    switch (quantity) {
        case hbm_bytes:
            return static_cast<double>(point->hbm_read_bytes + point->hbm_write_bytes);
        case footprint_bytes:
            return static_cast<double>(point->hbm_footprint_bytes);
        case time_s:
            return point->time_s;
        case quantity_count:
            break;
    }
    return 0;
}

int ScalingModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_sweep.seqs.size());
}

int ScalingModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : 1 + static_cast<int>(m_sweep.algorithms.size()) * quantity_count;
}

QVariant ScalingModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
    if (role != Qt::DisplayRole && role != Qt::UserRole) return {};
    const auto row = static_cast<std::size_t>(index.row());
    if (index.column() == 0) return static_cast<qlonglong>(m_sweep.seqs.at(row));
    const auto algorithm = static_cast<std::size_t>((index.column() - 1) / quantity_count);
    const auto quantity = static_cast<Quantity>((index.column() - 1) % quantity_count);
    const double v = value(index.row(), algorithm, quantity);
    if (role == Qt::UserRole) return std::isfinite(v) ? QVariant(v) : QVariant(QString());
    return quantity == time_s ? format_seconds(v) : format_bytes(v);
}

QVariant ScalingModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (role != Qt::DisplayRole) return {};
    if (orientation == Qt::Vertical) return section + 1;
    if (section == 0) return QStringLiteral("seq");
    const auto algorithm = static_cast<std::size_t>((section - 1) / quantity_count);
    if (algorithm >= m_sweep.algorithms.size()) return {};
    return QStringLiteral("%1 %2")
        .arg(QString::fromUtf8(to_string(m_sweep.algorithms[algorithm])))
        .arg(quantity_title(static_cast<Quantity>((section - 1) % quantity_count)));
}

}  // namespace flashscope::gui
