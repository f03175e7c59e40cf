#include "validation_model.hpp"

#include <QColor>
#include <cmath>

#include "flashscope/core/metrics.hpp"

namespace flashscope::gui {

ValidationModel::ValidationModel(QObject* parent) : QAbstractTableModel(parent) {}

void ValidationModel::set_data(const ValidationData& data) {
    beginResetModel();
    m_data = data;
    m_metrics.clear();
    for (const auto& info : metric_table()) {
        const std::string name(info.name);
        for (const auto& r : m_data.records) {
            if (r.is_measured(name)) {
                m_metrics.push_back(name);
                break;
            }
        }
    }
    endResetModel();
}

int ValidationModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_data.records.size());
}

int ValidationModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : first_metric + static_cast<int>(m_metrics.size());
}

QVariant ValidationModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
    const auto& e = entry(index.row());
    const auto& p = e.config.problem;
    if (index.column() >= first_metric) {
        const double err = e.relative_error(m_metrics.at(static_cast<std::size_t>(index.column() - first_metric)));
        if (role == Qt::UserRole) return std::isfinite(err) ? QVariant(err) : QVariant(QString());
        if (role == Qt::DisplayRole)
            return std::isfinite(err) ? QStringLiteral("%1%2 %").arg(err >= 0 ? "+" : "").arg(err * 100, 0, 'f', 1)
                                      : QStringLiteral("–");
        if (role == Qt::ForegroundRole && std::isfinite(err))
            return std::abs(err) <= 0.1 ? QColor(0x2c, 0x7f, 0x3c) : std::abs(err) <= 0.25 ? QColor(0xb0, 0x70, 0x00)
                                                                                          : QColor(0xc0, 0x20, 0x20);
        if (role == Qt::TextAlignmentRole) return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    }
    if (role != Qt::DisplayRole && role != Qt::UserRole) return {};
    switch (index.column()) {
    case algorithm: return QString::fromUtf8(to_string(e.config.algorithm));
    case shape:
        return QStringLiteral("B%1 H%2/%3 N%4×%5 d%6 %7%8 %9")
            .arg(p.batch).arg(p.heads).arg(p.kv_heads).arg(p.seq_q).arg(p.seq_k).arg(p.head_dim)
            .arg(QString::fromUtf8(to_string(p.dtype)))
            .arg(p.causal ? QStringLiteral(" causal") : QString())
            .arg(QString::fromUtf8(to_string(p.pass)));
    case tile:
        return QStringLiteral("%1×%2 w%3 s%4")
            .arg(e.config.tile.block_m).arg(e.config.tile.block_n).arg(e.config.tile.warps).arg(e.config.tile.stages);
    case kernel: return e.kernel;
    default: return {};
    }
}

QVariant ValidationModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (role != Qt::DisplayRole) return {};
    if (orientation == Qt::Vertical) return section + 1;
    switch (section) {
    case algorithm: return QStringLiteral("algorithm");
    case shape: return QStringLiteral("problem");
    case tile: return QStringLiteral("tile");
    case kernel: return QStringLiteral("kernel");
    default: break;
    }
    const auto m = static_cast<std::size_t>(section - first_metric);
    return m < m_metrics.size() ? QStringLiteral("error %1").arg(QString::fromStdString(m_metrics[m])) : QVariant();
}

}  // namespace flashscope::gui
