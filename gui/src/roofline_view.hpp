#pragma once
// The hierarchical roofline: HBM, L2 and SRAM bandwidth roofs, the tensor-core peak for the dtype
// and the FP32/SFU roof of each kernel without tensor-core work. Every kernel of naive, flash1 and
// flash2 is a row of three markers at one height (its achieved FLOP/s), one per memory level at
// that level's FLOP per byte, labelled with its time and bottleneck.
#include <QWidget>

#include "exportable_view.hpp"
#include "roofline_model.hpp"

class QCustomPlot;
class QCPTextElement;

namespace flashscope::gui {

class LabelPlacer;

class RooflineView : public QWidget, public ExportableView {
    Q_OBJECT
public:
    explicit RooflineView(RooflineModel* model, QWidget* parent = nullptr);

    QString export_name() const override { return QStringLiteral("roofline"); }
    QString title() const override { return QStringLiteral("Roofline"); }
    QWidget* picture_widget() override;
    const QAbstractItemModel* data_model() const override { return m_model; }
    const LabelPlacer& labels() const { return *m_labels; }

private:
    void rebuild();
    void add_roofs(double x_lo, double x_hi);
    void add_points();
    RooflineModel* m_model;
    QCustomPlot* m_plot;
    QCPTextElement* m_title;
    LabelPlacer* m_labels;
};

}  // namespace flashscope::gui
