#pragma once
// Scaling: HBM bytes, HBM footprint and time against sequence length, log-log, for naive, flash1
// and flash2, with the N where naive's N×N buffers stop fitting the GPU's memory.
#include <QWidget>

#include "exportable_view.hpp"
#include "scaling_model.hpp"

class QCustomPlot;
class QCPTextElement;

namespace flashscope::gui {

class ScalingView : public QWidget, public ExportableView {
    Q_OBJECT
public:
    explicit ScalingView(ScalingModel* model, QWidget* parent = nullptr);

    QString export_name() const override { return QStringLiteral("scaling"); }
    QString title() const override { return QStringLiteral("Scaling"); }
    QWidget* picture_widget() override;
    const QAbstractItemModel* data_model() const override { return m_model; }

private:
    void rebuild();
    ScalingModel* m_model;
    QCustomPlot* m_plot;
    QCPTextElement* m_title;
};

}  // namespace flashscope::gui
