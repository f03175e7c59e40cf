#include "tile_sweep_model.hpp"

#include <cmath>
#include <limits>

#include "metric_format.hpp"

namespace flashscope::gui {

TileSweepModel::TileSweepModel(QObject* parent) : QAbstractTableModel(parent) {}

void TileSweepModel::set_sweep(const TileSweep& sweep) {
    beginResetModel();
    m_sweep = sweep;
    endResetModel();
}

int TileSweepModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_sweep.cells.size());
}

int TileSweepModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : column_count;
}

double TileSweepModel::value(int row, Column column) const {
    const auto& c = m_sweep.cells.at(static_cast<std::size_t>(row));
    const double nan = std::numeric_limits<double>::quiet_NaN();
    switch (column) {
        case block_m:
            return static_cast<double>(c.block_m);
        case block_n:
            return static_cast<double>(c.block_n);
        case feasible:
            return c.feasible ? 1 : 0;
        default:
            break;
    }
    if (!c.feasible) return nan;
    const auto& m = c.totals;
    switch (column) {
        case hbm_bytes:
            return static_cast<double>(m.hbm_read_bytes + m.hbm_write_bytes);
        case l2_bytes:
            return static_cast<double>(m.l2_read_bytes + m.l2_write_bytes);
        case sram_bytes:
            return static_cast<double>(m.sram_read_bytes + m.sram_write_bytes);
        case time_s:
            return m.time_s;
        case occupancy:
            return c.occupancy;
        case warps:
            return static_cast<double>(c.resolved.warps);
        case stages:
            return static_cast<double>(c.resolved.stages);
        default:
            return nan;
    }
}

QString TileSweepModel::column_title(Column column) {
    switch (column) {
        case block_m:
            return QStringLiteral("block_m");
        case block_n:
            return QStringLiteral("block_n");
        case feasible:
            return QStringLiteral("feasible");
        case hbm_bytes:
            return QStringLiteral("HBM bytes");
        case l2_bytes:
            return QStringLiteral("L2 bytes");
        case sram_bytes:
            return QStringLiteral("SRAM bytes");
        case time_s:
            return QStringLiteral("time (s)");
        case occupancy:
            return QStringLiteral("occupancy");
        case bottleneck:
            return QStringLiteral("bottleneck");
        case warps:
            return QStringLiteral("warps");
        case stages:
            return QStringLiteral("stages");
        case reason:
            return QStringLiteral("reason");
        case column_count:
            break;
    }
    return {};
}

QString TileSweepModel::tooltip(int row) const {
    const auto& c = m_sweep.cells.at(static_cast<std::size_t>(row));
    QString text =
        QStringLiteral("<b>block_m %1 × block_n %2</b><br>").arg(c.block_m).arg(c.block_n);
    if (!c.feasible)
        return text + QStringLiteral("infeasible: ") +
               QString::fromStdString(c.reason).toHtmlEscaped();
    const auto& m = c.totals;
    return text +
           QStringLiteral(
               "warps %1, stages %2<br>HBM %3<br>L2 %4<br>SRAM %5<br>time %6<br>"
               "occupancy %7<br>bound by %8<br>%9")
               .arg(c.resolved.warps)
               .arg(c.resolved.stages)
               .arg(format_bytes(static_cast<double>(m.hbm_read_bytes + m.hbm_write_bytes)))
               .arg(format_bytes(static_cast<double>(m.l2_read_bytes + m.l2_write_bytes)))
               .arg(format_bytes(static_cast<double>(m.sram_read_bytes + m.sram_write_bytes)))
               .arg(format_seconds(m.time_s))
               .arg(format_percent(c.occupancy))
               .arg(QString::fromStdString(c.bottleneck))
               .arg(QString::fromStdString(c.why).toHtmlEscaped());
}

QVariant TileSweepModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
    const auto& c = m_sweep.cells.at(static_cast<std::size_t>(index.row()));
    const auto column = static_cast<Column>(index.column());
    if (role == Qt::ToolTipRole) return tooltip(index.row());
    if (role != Qt::DisplayRole && role != Qt::UserRole) return {};
    if (column == reason) return QString::fromStdString(c.reason);
    if (column == bottleneck) return QString::fromStdString(c.bottleneck);
    if (column == feasible) return c.feasible;
    const double v = value(index.row(), column);
    if (role == Qt::UserRole) return std::isfinite(v) ? QVariant(v) : QVariant(QString());
    if (!std::isfinite(v)) return QStringLiteral("–");
    switch (column) {
        case hbm_bytes:
        case l2_bytes:
        case sram_bytes:
            return format_bytes(v);
        case time_s:
            return format_seconds(v);
        case occupancy:
            return format_percent(v);
        default:
            return QString::number(v);
    }
}

QVariant TileSweepModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (role != Qt::DisplayRole) return {};
    if (orientation == Qt::Vertical) return section + 1;
    return column_title(static_cast<Column>(section));
}

}  // namespace flashscope::gui
