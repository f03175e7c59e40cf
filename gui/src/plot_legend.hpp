#pragma once
// Legends live in a row of their own under the plot's title, outside every axis rect, so that at
// any window size they cannot cover a data point, a roof or a note drawn inside the axes.
class QCustomPlot;
class QCPLegend;

namespace flashscope::gui {

// Moves `legend` (the plot's own legend when null) into a row under the title (row 0, from
// add_plot_title), items side by side and wrapping after `columns`. Returns the legend.
QCPLegend* place_legend_above_axes(QCustomPlot& plot, int columns, QCPLegend* legend = nullptr);

}  // namespace flashscope::gui
