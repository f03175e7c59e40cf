#include "plot_legend.hpp"

#include <qcustomplot.h>

namespace flashscope::gui {

QCPLegend* place_legend_above_axes(QCustomPlot& plot, int columns, QCPLegend* legend) {
    if (!legend) legend = plot.legend;
    // The default legend starts in the main axis rect's inset layout; take it out of there.
    if (auto* owner = qobject_cast<QCPLayoutInset*>(legend->layout())) owner->take(legend);
    auto* layout = plot.plotLayout();
    const int row =
        layout->rowCount() > 0 && qobject_cast<QCPTextElement*>(layout->element(0, 0)) ? 1 : 0;
    layout->insertRow(row);
    // Centred: empty elements on both sides take the width the items do not need.
    auto* centre = new QCPLayoutGrid;
    layout->addElement(row, 0, centre);
    layout->setRowStretchFactor(row, 0.001);  // only as tall as its items
    centre->addElement(0, 0, new QCPLayoutElement(&plot));
    centre->addElement(0, 1, legend);
    centre->addElement(0, 2, new QCPLayoutElement(&plot));
    centre->setColumnStretchFactors({1, 0.001, 1});
    legend->setVisible(true);
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst);
    legend->setWrap(columns);
    legend->setBorderPen(Qt::NoPen);
    legend->setBrush(Qt::NoBrush);
    legend->setMargins(QMargins(8, 2, 8, 2));
    legend->setRowSpacing(0);
    legend->setColumnSpacing(14);
    legend->setLayer(QStringLiteral("legend"));
    return legend;
}

}  // namespace flashscope::gui
