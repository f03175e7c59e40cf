#pragma once
// Traffic across the memory hierarchy of naive attention and a tiled algorithm, side by side:
// one row per link (HBM↔L2, L2↔SMs, SRAM↔tensor cores), then tensor-core work, HBM footprint and
// time. Columns: what, then amount and fraction of peak for naive, then for the tiled algorithm.
#include <QAbstractTableModel>
#include <optional>

#include "flashscope/sim/gpu_spec.hpp"
#include "flashscope/sim/result.hpp"

namespace flashscope::gui {

class MemoryHierarchyModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Row { hbm_link, l2_link, sram_link, tensor_work, footprint, time, row_count };
    enum Column { what, naive_amount, naive_fraction, tiled_amount, tiled_fraction, column_count };

    explicit MemoryHierarchyModel(QObject* parent = nullptr);

    void set_results(const sim::GpuSpec& gpu, const std::optional<sim::Result>& naive,
                     const std::optional<sim::Result>& tiled);
    bool has_data() const { return m_naive.has_value() || m_tiled.has_value(); }
    const sim::GpuSpec& gpu() const { return m_gpu; }
    const std::optional<sim::Result>& naive() const { return m_naive; }
    const std::optional<sim::Result>& tiled() const { return m_tiled; }

    // Amount of `row` for naive (side 0) or tiled (side 1), and as a fraction of the peak.
    double amount(Row row, int side) const;
    double fraction(Row row, int side) const;
    double peak(Row row) const;
    static QString row_title(Row row);
    QString side_title(int side) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    const std::optional<sim::Result>& side(int s) const { return s == 0 ? m_naive : m_tiled; }
    sim::GpuSpec m_gpu;
    std::optional<sim::Result> m_naive;
    std::optional<sim::Result> m_tiled;
};

// Peak rates of the GPU as the diagram uses them (bytes/s, FLOP/s for the problem's dtype).
double peak_sram_bytes_per_s(const sim::GpuSpec& gpu);
double peak_tensor_flops_per_s(const sim::GpuSpec& gpu, DType dtype);

}  // namespace flashscope::gui
