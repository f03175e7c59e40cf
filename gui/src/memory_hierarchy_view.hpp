#pragma once
// Memory hierarchy diagram, painted with QPainter: HBM ↔ L2 ↔ SRAM/SMs ↔ tensor cores for naive
// and the tiled algorithm side by side, each link labelled with the bytes it moves and its
// achieved bandwidth as % of peak; the HBM footprint of each against the GPU's memory.
#include <QWidget>

#include "exportable_view.hpp"
#include "memory_hierarchy_model.hpp"

namespace flashscope::gui {

class MemoryHierarchyView : public QWidget, public ExportableView {
    Q_OBJECT
public:
    explicit MemoryHierarchyView(MemoryHierarchyModel* model, QWidget* parent = nullptr);

    QString export_name() const override { return QStringLiteral("memory_hierarchy"); }
    QString title() const override { return QStringLiteral("Memory hierarchy"); }
    QWidget* picture_widget() override { return this; }
    const QAbstractItemModel* data_model() const override { return m_model; }
    QSize sizeHint() const override { return {900, 620}; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    void paint_side(QPainter& painter, const QRectF& area, int side) const;
    MemoryHierarchyModel* m_model;
};

}  // namespace flashscope::gui
