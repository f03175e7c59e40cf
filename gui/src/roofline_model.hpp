#pragma once
// Every kernel of naive, flash1 and flash2 on a hierarchical roofline: one point per memory level
// (HBM, L2, SRAM), each at the kernel's FLOP per byte moved at that level, all at its achieved
// FLOP/s. A kernel with tensor-core work is set against the tensor-core peak for the dtype and
// counts its matmul FLOP; one without (softmax, scale, reductions) against the FP32/SFU roof of its
// own mix of FP32 FLOP and exponentials, and counts those.
#include <QAbstractTableModel>
#include <array>
#include <vector>

#include "flashscope/sim/gpu_spec.hpp"
#include "flashscope/sim/result.hpp"

namespace flashscope::gui {

enum class MemoryLevel { hbm, l2, sram };
inline constexpr std::array<MemoryLevel, 3> k_memory_levels{MemoryLevel::hbm, MemoryLevel::l2,
                                                            MemoryLevel::sram};
QString level_name(MemoryLevel level);  // "HBM", "L2", "SRAM"

enum class ComputeRoof { tensor, fp32_sfu };
QString roof_name(ComputeRoof roof);  // "tensor-core", "FP32/SFU"

// The FP32/SFU pipes run side by side, so a kernel doing `fp32_flops` FP32 FLOP and `sfu_ops`
// exponentials peaks at their sum over the slower pipe's time.
double fp32_sfu_peak_flops_per_s(const sim::GpuSpec& gpu, double fp32_flops, double sfu_ops);

struct RooflinePoint {
    Algorithm algorithm = Algorithm::flash2;
    QString kernel;
    ComputeRoof roof = ComputeRoof::tensor;
    double roof_flops_per_s = 0;    // the compute ceiling this kernel is set against
    double flops = 0;               // the FLOP that ceiling bounds: matmul, or FP32 + exp
    std::array<double, 3> bytes{};  // moved at each MemoryLevel (read + write)
    double time_s = 0;
    QString bottleneck;
    bool selected = false;  // belongs to the panel's configuration

    double bytes_at(MemoryLevel level) const { return bytes[static_cast<std::size_t>(level)]; }
    double intensity(MemoryLevel level) const {
        return bytes_at(level) > 0 ? flops / bytes_at(level) : 0;
    }
    double flops_per_s() const { return time_s > 0 ? flops / time_s : 0; }
};

class RooflineModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        algorithm,
        kernel,
        roof,
        roof_flops_per_s,
        flops,
        hbm_bytes,
        l2_bytes,
        sram_bytes,
        flop_per_hbm_byte,
        flop_per_l2_byte,
        flop_per_sram_byte,
        flops_per_s,
        time_s,
        bottleneck,
        column_count
    };

    explicit RooflineModel(QObject* parent = nullptr);

    // `results` may hold several algorithms; `selected` marks which one the panel chose.
    void set_results(const sim::GpuSpec& gpu, const std::vector<sim::Result>& results,
                     Algorithm selected);
    const std::vector<RooflinePoint>& points() const { return m_points; }
    double peak_flops_per_s() const {
        return m_peak_flops;
    }  // tensor cores, for the results' dtype
    double bytes_per_s(MemoryLevel level) const {
        return m_bandwidth[static_cast<std::size_t>(level)];
    }
    const QString& gpu_name() const { return m_gpu_name; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::vector<RooflinePoint> m_points;
    double m_peak_flops = 0;
    std::array<double, 3> m_bandwidth{};
    QString m_gpu_name;
};

}  // namespace flashscope::gui
