#include "roofline_model.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>

#include "flashscope/sim/schedule.hpp"
#include "memory_hierarchy_model.hpp"
#include "metric_format.hpp"

namespace flashscope::gui {

namespace {

// The FP32 FLOP and exponentials of each kernel of `r`, in launch order. A Result sums both into
// flops_softmax; the schedule's closed form keeps them apart, and it is the same plan simulate()
// ran.
std::vector<sim::KernelCounts> kernel_counts(const sim::GpuSpec& gpu, const sim::Result& r) {
    const sim::PlanContext ctx(r.problem, r.tile, sim::ScheduleOptions{r.naive_eager}, gpu);
    std::vector<sim::KernelCounts> counts;
    for (const auto& plan : sim::schedule_for(r.algorithm).kernels(ctx, r.problem.pass))
        counts.push_back(plan->closed_form());
    return counts;
}

}  // namespace

QString level_name(MemoryLevel level) {
    switch (level) {
        case MemoryLevel::hbm:
            return QStringLiteral("HBM");
        case MemoryLevel::l2:
            return QStringLiteral("L2");
        case MemoryLevel::sram:
            return QStringLiteral("SRAM");
    }
    return {};
}

QString roof_name(ComputeRoof roof) {
    return roof == ComputeRoof::tensor ? QStringLiteral("tensor-core") : QStringLiteral("FP32/SFU");
}

double fp32_sfu_peak_flops_per_s(const sim::GpuSpec& gpu, double fp32_flops, double sfu_ops) {
    const double sms_clock = static_cast<double>(gpu.sm_count) * gpu.sm_clock_hz;
    const double seconds = std::max(fp32_flops / (gpu.fp32_flops_per_clk * sms_clock),
                                    sfu_ops / (gpu.sfu_ops_per_clk * sms_clock));
    return seconds > 0 ? (fp32_flops + sfu_ops) / seconds : 0;
}

RooflineModel::RooflineModel(QObject* parent) : QAbstractTableModel(parent) {}

void RooflineModel::set_results(const sim::GpuSpec& gpu, const std::vector<sim::Result>& results,
                                Algorithm selected) {
    beginResetModel();
    m_points.clear();
    m_gpu_name = QString::fromStdString(gpu.name);
    m_bandwidth = {gpu.hbm_bytes_per_s, gpu.l2_bytes_per_s(), peak_sram_bytes_per_s(gpu)};
    m_peak_flops =
        results.empty() ? 0 : peak_tensor_flops_per_s(gpu, results.front().problem.dtype);
    for (const auto& r : results) {
        const auto counts = kernel_counts(gpu, r);
        for (std::size_t i = 0; i < r.kernels.size(); ++i) {
            const auto& k = r.kernels[i];
            const auto& m = k.metrics;
            RooflinePoint p;
            p.algorithm = r.algorithm;
            p.kernel = QString::fromStdString(k.name);
            if (m.flops_matmul > 0) {
                p.roof = ComputeRoof::tensor;
                p.roof_flops_per_s = m_peak_flops;
                p.flops = m.flops_matmul;
            } else {
                p.roof = ComputeRoof::fp32_sfu;
                p.flops = m.flops_softmax;
                // A plan list that no longer matches the result would be a simulator bug: no roof
                // rather than a wrong one.
                p.roof_flops_per_s =
                    i < counts.size()
                        ? fp32_sfu_peak_flops_per_s(gpu, counts[i].fp32_flops, counts[i].sfu_ops)
                        : std::numeric_limits<double>::quiet_NaN();
            }
            p.bytes = {static_cast<double>(m.hbm_read_bytes + m.hbm_write_bytes),
                       static_cast<double>(m.l2_read_bytes + m.l2_write_bytes),
                       static_cast<double>(m.sram_read_bytes + m.sram_write_bytes)};
            p.time_s = m.time_s;
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

int RooflineModel::columnCount(const QModelIndex& parent) const {
    return parent.isValid() ? 0 : column_count;
}

QVariant RooflineModel::data(const QModelIndex& index, int role) const {
    if (!checkIndex(index, CheckIndexOption::IndexIsValid)) return {};
    if (role != Qt::DisplayRole && role != Qt::UserRole) return {};
    const auto& p = m_points.at(static_cast<std::size_t>(index.row()));
    const bool raw = role == Qt::UserRole;
    const auto flop_s = [raw](double v) {
        return raw ? QVariant(v) : QVariant(format_count(v, QStringLiteral("FLOP/s")));
    };
    const auto bytes = [raw](double v) { return raw ? QVariant(v) : QVariant(format_bytes(v)); };
    const auto ratio = [raw](double v) {
        return raw ? QVariant(v) : QVariant(QString::number(v, 'f', 1));
    };
    switch (index.column()) {
        case algorithm:
            return QString::fromUtf8(to_string(p.algorithm));
        case kernel:
            return p.kernel;
        case roof:
            return roof_name(p.roof);
        case roof_flops_per_s:
            return flop_s(p.roof_flops_per_s);
        case flops:
            return raw ? QVariant(p.flops)
                       : QVariant(format_count(p.flops, QStringLiteral("FLOP")));
        case hbm_bytes:
            return bytes(p.bytes_at(MemoryLevel::hbm));
        case l2_bytes:
            return bytes(p.bytes_at(MemoryLevel::l2));
        case sram_bytes:
            return bytes(p.bytes_at(MemoryLevel::sram));
        case flop_per_hbm_byte:
            return ratio(p.intensity(MemoryLevel::hbm));
        case flop_per_l2_byte:
            return ratio(p.intensity(MemoryLevel::l2));
        case flop_per_sram_byte:
            return ratio(p.intensity(MemoryLevel::sram));
        case flops_per_s:
            return flop_s(p.flops_per_s());
        case time_s:
            return raw ? QVariant(p.time_s) : QVariant(format_seconds(p.time_s));
        case bottleneck:
            return p.bottleneck;
        default:
            return {};
    }
}

QVariant RooflineModel::headerData(int section, Qt::Orientation orientation, int role) const {
    if (role != Qt::DisplayRole) return {};
    if (orientation == Qt::Vertical) return section + 1;
    static const char* const titles[] = {
        "algorithm",          "kernel",     "roof",       "roof_flop_per_s",   "flops",
        "hbm_bytes",          "l2_bytes",   "sram_bytes", "flop_per_hbm_byte", "flop_per_l2_byte",
        "flop_per_sram_byte", "flop_per_s", "time_s",     "bottleneck"};
    static_assert(std::size(titles) == column_count);
    return section >= 0 && section < column_count ? QString::fromLatin1(titles[section])
                                                  : QVariant();
}

}  // namespace flashscope::gui
