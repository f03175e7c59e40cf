#pragma once
// The records of a validation file as a table: configuration, kernel, then the relative error of
// each metric that was measured. The file is read by validate's own readers (JSON or CSV), so the
// GUI shows the records and error statistics exactly as `flashscope validate` wrote them.
#include <QAbstractTableModel>
#include <QString>
#include <string>
#include <vector>

#include "flashscope/validate/validation_file.hpp"
#include "gui_configuration.hpp"

namespace flashscope::gui {

// The panel configuration that reproduces a record's prediction: the run's GPU preset and model.
GuiConfiguration configuration_of(const validate::ValidationRun& run,
                                  const validate::ValidationRecord& record);

class ValidationModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { algorithm, shape, tile, kernel, first_metric };

    explicit ValidationModel(QObject* parent = nullptr);

    // Reads a validation file (.csv, otherwise JSON); throws ConfigError naming what is wrong and
    // leaves the shown data as it was.
    void open(const QString& path);
    void set_data(const validate::ValidationRun& run, const QString& path = {});
    const validate::ValidationRun& validation() const { return m_run; }
    const QString& path() const { return m_path; }
    const validate::ValidationRecord& record(int row) const {
        return m_run.records.at(static_cast<std::size_t>(row));
    }
    GuiConfiguration configuration(int row) const { return configuration_of(m_run, record(row)); }
    // Metrics measured in at least one record, in metric_table() order.
    const std::vector<std::string>& metrics() const { return m_metrics; }
    // validate's error summary of a metric (median and p90 of |relative error|), nullptr when the
    // metric was never measured.
    const validate::MetricErrorSummary* error_summary(const std::string& metric) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    validate::ValidationRun m_run;
    QString m_path;
    std::vector<std::string> m_metrics;
};

}  // namespace flashscope::gui
