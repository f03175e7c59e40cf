#pragma once
// The records of a validation file as a table: configuration, kernel, then the relative error of
// each metric that was measured. The scatter plot reads predicted and measured values from it.
#include <QAbstractTableModel>
#include <string>
#include <vector>

#include "validation_file_reader.hpp"

namespace flashscope::gui {

class ValidationModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { algorithm, shape, tile, kernel, first_metric };

    explicit ValidationModel(QObject* parent = nullptr);

    void set_data(const ValidationData& data);
    const ValidationData& validation() const { return m_data; }
    const ValidationEntry& entry(int row) const { return m_data.records.at(static_cast<std::size_t>(row)); }
    // Metrics measured in at least one record, in metric_table() order.
    const std::vector<std::string>& metrics() const { return m_metrics; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    ValidationData m_data;
    std::vector<std::string> m_metrics;
};

}  // namespace flashscope::gui
