#include "memory_hierarchy_model.hpp"

#include <cmath>
#include <limits>

#include "metric_format.hpp"

namespace flashscope::gui {

double peak_sram_bytes_per_s(const sim::GpuSpec& gpu) {
    return gpu.sram_bytes_per_clk_per_sm * static_cast<double>(gpu.sm_count) * gpu.sm_clock_hz;
}

double peak_tensor_flops_per_s(const sim::GpuSpec& gpu, DType dtype) {
    return gpu.tensor_flops_per_clk(dtype) * static_cast<double>(gpu.sm_count) * gpu.sm_clock_hz;
}

MemoryHierarchyModel::MemoryHierarchyModel(QObject* parent) : QAbstractTableModel(parent) {}

void MemoryHierarchyModel::set_results(const sim::GpuSpec& gpu,
                                       const std::optional<sim::Result>& naive,
                                       const std::optional<sim::Result>& tiled) {
    beginResetModel();
    m_gpu = gpu;
    m_naive = naive;
    m_tiled = tiled;
    if (m_naive) m_naive->timeline.clear();
    if (m_tiled) m_tiled->timeline.clear();
    endResetModel();
}

double MemoryHierarchyModel::amount(Row row, int s) const {
    const auto& r = side(s);
    if (!r) return std::numeric_limits<double>::quiet_NaN();
    const auto& m = r->totals;
    switch (row) {
        case hbm_link:
            return static_cast<double>(m.hbm_read_bytes + m.hbm_write_bytes);
        case l2_link:
            return static_cast<double>(m.l2_read_bytes + m.l2_write_bytes);
        case sram_link:
            return static_cast<double>(m.sram_read_bytes + m.sram_write_bytes);
        case tensor_work:
            return m.flops_matmul;
        case footprint:
            return static_cast<double>(m.hbm_footprint_bytes);
        case time:
            return m.time_s;
        case row_count:
            break;
    }
    return 0;
}

double MemoryHierarchyModel::peak(Row row) const {
    const DType dtype = m_tiled   ? m_tiled->problem.dtype
                        : m_naive ? m_naive->problem.dtype
                                  : DType::bf16;
    switch (row) {
        case hbm_link:
            return m_gpu.hbm_bytes_per_s;
        case l2_link:
            return m_gpu.l2_bytes_per_s();
        case sram_link:
            return peak_sram_bytes_per_s(m_gpu);
        case tensor_work:
            return peak_tensor_flops_per_s(m_gpu, dtype);
        case footprint:
            return static_cast<double>(m_gpu.hbm_size_bytes);
        default:
            return 0;
    }
}

double MemoryHierarchyModel::fraction(Row row, int s) const {
    const auto& r = side(s);
    const double p = peak(row);
    if (!r || p <= 0) return std::numeric_limits<double>::quiet_NaN();
    if (row == footprint) return amount(row, s) / p;
    const double t = r->totals.time_s;
    return t > 0 ? amount(row, s) / t / p : std::numeric_limits<double>::quiet_NaN();
}

QString MemoryHierarchyModel::row_title(Row row) {
    switch (row) {
        case hbm_link:
            return QStringLiteral("HBM ↔ L2");
        case l2_link:
            return QStringLiteral("L2 ↔ SMs");
        case sram_link:
            return QStringLiteral("SRAM ↔ tensor cores");
        case tensor_work:
            return QStringLiteral("tensor-core FLOP");
        case footprint:
            return QStringLiteral("HBM footprint");
        case time:
            return QStringLiteral("time");
        case row_count:
            break;
    }
    return {};
}

QString MemoryHierarchyModel::side_title(int s) const {
    const auto& r = side(s);
    if (!r) return s == 0 ? QStringLiteral("naive") : QStringLiteral("tiled");
    const auto& t = r->tile;
    return QStringLiteral("%1 %2×%3")
        .arg(QString::fromUtf8(to_string(r->algorithm)))
        .arg(t.block_m)
        .arg(t.block_n);
}

int MemoryHierarchyModel::rowCount(const QModelIndex& parent) const {
    return parent.isValid() || !has_data() ? 0 : row_count;
}

int MemoryHierarchyModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : column_count;
}

QVariant MemoryHierarchyModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
    if (role != Qt::DisplayRole && role != Qt::UserRole) return {};
    const auto row = static_cast<Row>(index.row());
    if (index.column() == what) return row_title(row);
    const int s = index.column() <= naive_fraction ? 0 : 1;
    const bool is_fraction = index.column() == naive_fraction || index.column() == tiled_fraction;
    const double v = is_fraction ? fraction(row, s) : amount(row, s);
    if (role == Qt::UserRole) return std::isfinite(v) ? QVariant(v) : QVariant(QString());
    if (is_fraction) return format_percent(v);
    if (row == tensor_work) return format_count(v, QStringLiteral("FLOP"));
    if (row == time) return format_seconds(v);
    return format_bytes(v);
}

QVariant MemoryHierarchyModel::headerData(int section, Qt::Orientation orientation,
                                          int role) const {
    if (role != Qt::DisplayRole) return {};
    if (orientation == Qt::Vertical) return section + 1;
    switch (section) {
        case what:
            return QStringLiteral("quantity");
        case naive_amount:
            return side_title(0);
        case naive_fraction:
            return side_title(0) + QStringLiteral(" % of peak");
        case tiled_amount:
            return side_title(1);
        case tiled_fraction:
            return side_title(1) + QStringLiteral(" % of peak");
        default:
            return {};
    }
}

}  // namespace flashscope::gui
