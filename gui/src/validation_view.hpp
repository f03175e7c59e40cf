#pragma once
// Validation: a file written by `flashscope validate`, as a predicted-vs-measured scatter of one
// metric (log-log, y = x and ±10 % / ±25 % bands) over a table of the records. Selecting a
// record asks for its configuration to be loaded.
#include <QWidget>

#include "exportable_view.hpp"
#include "validation_model.hpp"

class QComboBox;
class QCustomPlot;
class QCPTextElement;
class QLabel;
class QTableView;

namespace flashscope::gui {

class ValidationView : public QWidget, public ExportableView {
    Q_OBJECT
public:
    explicit ValidationView(ValidationModel* model, QWidget* parent = nullptr);

    void set_metric(const QString& metric);
    QString metric() const;
    void select_record(int row);
    QTableView* table() const { return m_table; }

    QString export_name() const override { return QStringLiteral("validation"); }
    QString title() const override { return QStringLiteral("Validation"); }
    QWidget* picture_widget() override;
    const QAbstractItemModel* data_model() const override { return m_model; }

Q_SIGNALS:
    void open_requested();
    void record_selected(int row);

private:
    void rebuild();
    void replot();
    ValidationModel* m_model;
    QComboBox* m_metric_box;
    QLabel* m_summary;
    QCustomPlot* m_plot;
    QCPTextElement* m_title;
    QTableView* m_table;
    int m_selected = -1;
};

}  // namespace flashscope::gui
