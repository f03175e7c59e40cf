#pragma once
// One look for every plot: fonts, grid, colours per algorithm and per resource.
#include <QColor>
#include <QString>

#include "flashscope/core/algorithm.hpp"

class QCustomPlot;
class QCPAxisRect;
class QCPAxis;
class QCPTextElement;

namespace flashscope::gui {

QColor algorithm_colour(Algorithm algorithm);
QColor resource_colour(int resource);  // indexed like sim::Resource
void style_plot(QCustomPlot& plot);
void style_axis_rect(QCPAxisRect& rect);
void set_log_axis(QCPAxis& axis, const QString& label);  // log scale with 10^n ticks
// A bold title row above everything else in the plot's layout; the caller sets its text.
QCPTextElement* add_plot_title(QCustomPlot& plot);

}  // namespace flashscope::gui
