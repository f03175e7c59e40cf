#pragma once
// The cycle model's utilization timeline as a table: one row per interval, then its kernel and
// each resource's utilization (0..1). Empty for the analytic model.
#include <QAbstractTableModel>
#include <vector>

#include "flashscope/sim/result.hpp"

namespace flashscope::gui {

class TimelineModel : public QAbstractTableModel {
    Q_OBJECT
public:
    static constexpr int k_resources = sim::k_resource_count - 1;  // without "latency"
    enum Column {
        t_begin,
        t_end,
        kernel,
        first_resource,
        column_count = first_resource + k_resources
    };

    explicit TimelineModel(QObject* parent = nullptr);

    void set_timeline(const std::vector<sim::TimelineSample>& samples);
    const std::vector<sim::TimelineSample>& samples() const { return m_samples; }
    static QString resource_title(int resource);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::vector<sim::TimelineSample> m_samples;
};

}  // namespace flashscope::gui
