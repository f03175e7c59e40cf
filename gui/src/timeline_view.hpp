#pragma once
// Timeline: each resource's utilization over time from the cycle model, one lane per resource
// sharing the time axis; wheel zooms and drag pans time, double-click resets.
#include <QWidget>

#include "exportable_view.hpp"
#include "timeline_model.hpp"

class QCustomPlot;
class QCPTextElement;

namespace flashscope::gui {

class TimelineView : public QWidget, public ExportableView {
    Q_OBJECT
public:
    explicit TimelineView(TimelineModel* model, QWidget* parent = nullptr);

    void set_time_range(double begin_s, double end_s);  // zoom
    void reset_zoom();
    QString export_name() const override { return QStringLiteral("timeline"); }
    QString title() const override { return QStringLiteral("Timeline"); }
    QWidget* picture_widget() override;
    const QAbstractItemModel* data_model() const override { return m_model; }

private:
    void rebuild();
    TimelineModel* m_model;
    QCustomPlot* m_plot;
    QCPTextElement* m_title = nullptr;
    double m_end_us = 1;
};

}  // namespace flashscope::gui
