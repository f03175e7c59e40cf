#pragma once
// `flashscope plot`: one of the GUI's views drawn from a file, offscreen, into PNG or SVG — the
// same models, views and exporter as flashscope-gui, so the pictures look the same.
//   heatmap   tile sweep (block_m x block_n) from a sweep file, coloured by --metric
//   scaling   HBM bytes, footprint and time against sequence length, from a sweep file
//   roofline  every ok row of a sweep file (each kernel, from JSON lines) at FLOP per HBM byte,
//   FLOP/s memory    naive and a tiled algorithm across the memory hierarchy, from two rows of a
//   sweep file timeline  resource utilization over time, from `flashscope simulate --timeline
//   FILE.csv` scatter   predicted against measured, from a file written by `flashscope validate`
//   auto      scaling when the sequence length varies, heatmap when block_m or block_n do, else
//   roofline
#include <QSize>
#include <memory>
#include <string>
#include <vector>

#include "exportable_view.hpp"
#include "sweep_table.hpp"

class QWidget;

namespace flashscope::gui {

enum class PlotKind { heatmap, scaling, roofline, memory, timeline, scatter };
PlotKind parse_plot_kind(const std::string& text);  // throws ConfigError naming "kind"; not "auto"
std::string to_string(PlotKind kind);

struct PlotRequest {
    std::string kind = "auto";  // a PlotKind's name or "auto"
    std::string input;
    std::string output;  // .png or .svg
    QSize size{1200, 720};
    std::string metric;  // heatmap: time_s, hbm_bytes, l2_bytes, sram_bytes; scatter: a field
    std::vector<RowFilter> where;
    bool linear = false;  // heatmap: linear colour scale instead of log
};

// A view holding its data, ready to render; owns its models.
struct BuiltPlot {
    PlotKind kind = PlotKind::heatmap;
    std::unique_ptr<QWidget> owner;  // parent of the models and the view
    ExportableView* view = nullptr;
    std::string
        note;  // what the reader should know (rows folded into cells, ...), empty when nothing
};

// Throws ConfigError for a request or file that cannot give the picture, naming what is wrong.
BuiltPlot build_plot(const PlotRequest& request);
// Builds and writes request.output (PNG or SVG by its extension); returns the note.
std::string write_plot(const PlotRequest& request);

// "1200x720" -> QSize; throws ConfigError naming "size" (each side 100..10000 pixels).
QSize parse_plot_size(const std::string& text);

}  // namespace flashscope::gui
