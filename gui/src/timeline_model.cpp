#include "timeline_model.hpp"

#include "metric_format.hpp"

namespace flashscope::gui {

TimelineModel::TimelineModel(QObject* parent) : QAbstractTableModel(parent) {}

void TimelineModel::set_timeline(const std::vector<sim::TimelineSample>& samples) {
    beginResetModel();
    m_samples = samples;
    endResetModel();
}

QString TimelineModel::resource_title(int resource) {
    return QString::fromUtf8(sim::to_string(static_cast<sim::Resource>(resource)));
}

int TimelineModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_samples.size());
}

int TimelineModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : column_count;
}

QVariant TimelineModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
    if (role != Qt::DisplayRole && role != Qt::UserRole) return {};
    const auto& s = m_samples.at(static_cast<std::size_t>(index.row()));
    switch (index.column()) {
        case t_begin:
            return role == Qt::UserRole ? QVariant(s.t_begin_s)
                                        : QVariant(format_seconds(s.t_begin_s));
        case t_end:
            return role == Qt::UserRole ? QVariant(s.t_end_s) : QVariant(format_seconds(s.t_end_s));
        case kernel:
            return QString::fromStdString(s.kernel);
        default:
            break;
    }
    const double u = s.utilization.at(static_cast<std::size_t>(index.column() - first_resource));
    return role == Qt::UserRole ? QVariant(u) : QVariant(format_percent(u));
}

QVariant TimelineModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (role != Qt::DisplayRole) return {};
    if (orientation == Qt::Vertical) return section + 1;
    switch (section) {
        case t_begin:
            return QStringLiteral("t_begin_s");
        case t_end:
            return QStringLiteral("t_end_s");
        case kernel:
            return QStringLiteral("kernel");
        default:
            break;
    }
    if (section >= first_resource && section < column_count)
        return resource_title(section - first_resource);
    return {};
}

}  // namespace flashscope::gui
