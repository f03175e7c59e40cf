#pragma once
// Roofline of the GPU (tensor-core peak for the dtype, HBM and L2 bandwidth) with every kernel of
// naive, flash1 and flash2 as a point at its FLOP per HBM byte and achieved FLOP/s.
#include <QWidget>

#include "exportable_view.hpp"
#include "roofline_model.hpp"

class QCustomPlot;
class QCPTextElement;

namespace flashscope::gui {

class RooflineView : public QWidget, public ExportableView {
    Q_OBJECT
public:
    explicit RooflineView(RooflineModel* model, QWidget* parent = nullptr);

    QString export_name() const override { return QStringLiteral("roofline"); }
    QString title() const override { return QStringLiteral("Roofline"); }
    QWidget* picture_widget() override;
    const QAbstractItemModel* data_model() const override { return m_model; }

private:
    void rebuild();
    RooflineModel* m_model;
    QCustomPlot* m_plot;
    QCPTextElement* m_title;
};

}  // namespace flashscope::gui
