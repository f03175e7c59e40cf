#include "roofline_model.hpp"

#include "memory_hierarchy_model.hpp"
#include "metric_format.hpp"

namespace flashscope::gui {

RooflineModel::RooflineModel(QObject* parent) : QAbstractTableModel(parent) {}

void RooflineModel::set_results(const sim::GpuSpec& gpu, const std::vector<sim::Result>& results,
                                Algorithm selected) {
    beginResetModel();
    m_points.clear();
    m_gpu_name = QString::fromStdString(gpu.name);
    m_hbm_bw = gpu.hbm_bytes_per_s;
    m_l2_bw = gpu.l2_bytes_per_s();
    m_peak_flops = results.empty() ? 0 : peak_tensor_flops_per_s(gpu, results.front().problem.dtype);
    for (const auto& r : results) {
        for (const auto& k : r.kernels) {
            RooflinePoint p;
            p.algorithm = r.algorithm;
            p.kernel = QString::fromStdString(k.name);
            p.flops = k.metrics.flops();
            p.hbm_bytes = static_cast<double>(k.metrics.hbm_read_bytes + k.metrics.hbm_write_bytes);
            p.time_s = k.metrics.time_s;
            p.bottleneck = QString::fromUtf8(sim::to_string(k.bottleneck));
            p.selected = r.algorithm == selected;
            m_points.push_back(p);
        }
    }
    endResetModel();
}

int RooflineModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : static_cast<int>(m_points.size());
}

int RooflineModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : column_count; }

QVariant RooflineModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
    if (role != Qt::DisplayRole && role != Qt::UserRole) return {};
    const auto& p = m_points.at(static_cast<std::size_t>(index.row()));
    const bool raw = role == Qt::UserRole;
    switch (index.column()) {
    case algorithm: return QString::fromUtf8(to_string(p.algorithm));
    case kernel: return p.kernel;
    case flops: return raw ? QVariant(p.flops) : QVariant(format_count(p.flops, QStringLiteral("FLOP")));
    case hbm_bytes: return raw ? QVariant(p.hbm_bytes) : QVariant(format_bytes(p.hbm_bytes));
    case intensity: return raw ? QVariant(p.intensity()) : QVariant(QString::number(p.intensity(), 'f', 1));
    case flops_per_s:
        return raw ? QVariant(p.flops_per_s()) : QVariant(format_count(p.flops_per_s(), QStringLiteral("FLOP/s")));
    case time_s: return raw ? QVariant(p.time_s) : QVariant(format_seconds(p.time_s));
    case bottleneck: return p.bottleneck;
    default: return {};
    }
}

QVariant RooflineModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (role != Qt::DisplayRole) return {};
    if (orientation == Qt::Vertical) return section + 1;
    static const char* const titles[] = {"algorithm", "kernel", "flops", "hbm_bytes",
                                         "flop_per_hbm_byte", "flop_per_s", "time_s", "bottleneck"};
    return section < column_count ? QString::fromLatin1(titles[section]) : QVariant();
}

}  // namespace flashscope::gui
