#pragma once
// Every kernel of naive, flash1 and flash2 as a roofline point: FLOP per HBM byte and achieved
// FLOP/s, with the GPU's roofs (tensor peak for the dtype, HBM and L2 bandwidth).
#include <QAbstractTableModel>
#include <vector>

#include "flashscope/sim/gpu_spec.hpp"
#include "flashscope/sim/result.hpp"

namespace flashscope::gui {

struct RooflinePoint {
    Algorithm algorithm = Algorithm::flash2;
    QString kernel;
    double flops = 0;
    double hbm_bytes = 0;
    double time_s = 0;
    QString bottleneck;
    bool selected = false;  // belongs to the panel's configuration

    double intensity() const { return hbm_bytes > 0 ? flops / hbm_bytes : 0; }
    double flops_per_s() const { return time_s > 0 ? flops / time_s : 0; }
};

class RooflineModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { algorithm, kernel, flops, hbm_bytes, intensity, flops_per_s, time_s, bottleneck, column_count };

    explicit RooflineModel(QObject* parent = nullptr);

    // `results` may hold several algorithms; `selected` marks which one the panel chose.
    void set_results(const sim::GpuSpec& gpu, const std::vector<sim::Result>& results, Algorithm selected);
    const std::vector<RooflinePoint>& points() const { return m_points; }
    double peak_flops_per_s() const { return m_peak_flops; }
    double hbm_bytes_per_s() const { return m_hbm_bw; }
    double l2_bytes_per_s() const { return m_l2_bw; }
    const QString& gpu_name() const { return m_gpu_name; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<RooflinePoint> m_points;
    double m_peak_flops = 0;
    double m_hbm_bw = 0;
    double m_l2_bw = 0;
    QString m_gpu_name;
};

}  // namespace flashscope::gui
