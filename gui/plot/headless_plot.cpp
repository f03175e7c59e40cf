#include "headless_plot.hpp"

#include <qcustomplot.h>

#include <QFileInfo>
#include <QWidget>
#include <charconv>

#include "flashscope/core/error.hpp"
#include "memory_hierarchy_model.hpp"
#include "memory_hierarchy_view.hpp"
#include "plot_inputs.hpp"
#include "roofline_model.hpp"
#include "roofline_view.hpp"
#include "scaling_model.hpp"
#include "scaling_view.hpp"
#include "tile_heatmap_view.hpp"
#include "tile_sweep_model.hpp"
#include "timeline_model.hpp"
#include "timeline_view.hpp"
#include "validation_model.hpp"
#include "validation_view.hpp"
#include "view_renderer.hpp"

namespace flashscope::gui {
namespace {

constexpr PlotKind k_kinds[] = {PlotKind::heatmap, PlotKind::scaling,  PlotKind::roofline,
                                PlotKind::memory,  PlotKind::timeline, PlotKind::scatter};

// The views put a bold title in the first row of their layout; a file-made picture says where its
// data came from instead of the GUI's hints.
void retitle(ExportableView& view, const QString& text) {
    auto* plot = qobject_cast<QCustomPlot*>(view.picture_widget());
    if (!plot || plot->plotLayout()->rowCount() == 0) return;
    if (auto* title = qobject_cast<QCPTextElement*>(plot->plotLayout()->element(0, 0))) {
        title->setText(text);
        plot->replot();
    }
}

QString file_name(const std::string& path) {
    return QFileInfo(QString::fromStdString(path)).fileName();
}

TileSweepModel::Column heatmap_metric(const std::string& name) {
    if (name.empty() || name == "time_s") return TileSweepModel::time_s;
    if (name == "hbm_bytes") return TileSweepModel::hbm_bytes;
    if (name == "l2_bytes") return TileSweepModel::l2_bytes;
    if (name == "sram_bytes") return TileSweepModel::sram_bytes;
    throw ConfigError("metric", name, "a heatmap shows time_s, hbm_bytes, l2_bytes or sram_bytes");
}

PlotKind auto_kind(const std::vector<SweepRow>& rows) {
    const auto varying = varying_columns(rows, {});
    if (varying.count("seq_q")) return PlotKind::scaling;
    if (varying.count("block_m") || varying.count("block_n")) return PlotKind::heatmap;
    return PlotKind::roofline;
}

template <typename Model, typename View>
std::pair<Model*, View*> make_view(BuiltPlot& built) {
    auto* model = new Model(built.owner.get());
    auto* view = new View(model, built.owner.get());
    built.view = view;
    return {model, view};
}

}  // namespace

PlotKind parse_plot_kind(const std::string& text) {
    for (const PlotKind k : k_kinds)
        if (to_string(k) == text) return k;
    throw ConfigError("kind", text,
                      "must be heatmap, scaling, roofline, memory, timeline, scatter or auto");
}

std::string to_string(PlotKind kind) {
    switch (kind) {
        case PlotKind::heatmap:
            return "heatmap";
        case PlotKind::scaling:
            return "scaling";
        case PlotKind::roofline:
            return "roofline";
        case PlotKind::memory:
            return "memory";
        case PlotKind::timeline:
            return "timeline";
        case PlotKind::scatter:
            return "scatter";
    }
    return "heatmap";
}

QSize parse_plot_size(const std::string& text) {
    const auto x = text.find('x');
    int w = 0, h = 0;
    const bool parsed = x != std::string::npos &&
                        std::from_chars(text.data(), text.data() + x, w).ptr == text.data() + x &&
                        std::from_chars(text.data() + x + 1, text.data() + text.size(), h).ptr ==
                            text.data() + text.size();
    if (!parsed || w < 100 || h < 100 || w > 10000 || h > 10000)
        throw ConfigError("size", text, "must be WIDTHxHEIGHT in pixels, each 100..10000");
    return {w, h};
}

BuiltPlot build_plot(const PlotRequest& request) {
    if (request.kind != "auto")
        parse_plot_kind(request.kind);  // a bad kind before any file is read
    BuiltPlot built;
    built.owner = std::make_unique<QWidget>();
    const QString from = file_name(request.input);
    if (request.kind == "scatter" || request.kind == "timeline") {
        built.kind = parse_plot_kind(request.kind);
    } else {
        const SweepTable table = read_sweep_table(request.input);
        const std::vector<SweepRow> rows = filter_rows(table, request.where);
        built.kind = request.kind == "auto" ? auto_kind(rows) : parse_plot_kind(request.kind);
        switch (built.kind) {
            case PlotKind::heatmap: {
                const auto column = heatmap_metric(request.metric);
                auto [model, view] = make_view<TileSweepModel, TileHeatmapView>(built);
                model->set_sweep(tile_sweep_from_rows(rows, &built.note));
                view->set_log_colour(!request.linear);
                view->set_metric(column);
                retitle(
                    *view,
                    QStringLiteral(
                        "%1 over block_m × block_n · %2 · red dashes: fastest · grey: rejected "
                        "by the simulator")
                        .arg(TileSweepModel::column_title(column).remove(QStringLiteral(" (s)")),
                             from));
                return built;
            }
            case PlotKind::scaling: {
                auto [model, view] = make_view<ScalingModel, ScalingView>(built);
                model->set_sweep(scaling_from_rows(rows));
                retitle(*view,
                        QStringLiteral(
                            "Scaling with sequence length · %1 (%2 model) · naive's N×N buffers "
                            "grow as N², FlashAttention's footprint as N")
                            .arg(from, QString::fromStdString(rows.front().at("model"))));
                return built;
            }
            case PlotKind::roofline: {
                const RooflineInput in = roofline_from_rows(rows);
                auto [model, view] = make_view<RooflineModel, RooflineView>(built);
                model->set_results(in.gpu, in.results, in.results.front().algorithm);
                const bool kernels = !rows.front().kernels.empty();
                retitle(*view,
                        QStringLiteral("Roofline · %1 · %2 of %3")
                            .arg(QString::fromStdString(in.gpu.name),
                                 kernels ? QStringLiteral("each kernel of every simulated row")
                                         : QStringLiteral("every simulated row"),
                                 from));
                return built;
            }
            case PlotKind::memory: {
                const MemoryHierarchyInput in = memory_hierarchy_from_rows(rows);
                auto [model, view] = make_view<MemoryHierarchyModel, MemoryHierarchyView>(built);
                model->set_results(in.gpu, in.naive, in.tiled);
                return built;
            }
            default:
                throw ConfigError(
                    "kind", to_string(built.kind),
                    "reads a " +
                        std::string(built.kind == PlotKind::scatter ? "validation" : "timeline") +
                        " file, not a sweep");
        }
    }
    if (built.kind == PlotKind::timeline) {
        std::string algorithm;
        auto samples = timeline_from_csv(request.input, request.where, &algorithm);
        auto [model, view] = make_view<TimelineModel, TimelineView>(built);
        model->set_timeline(samples);
        retitle(*view,
                QStringLiteral(
                    "Resource utilization over time (%) · %1 · cycle model · %2 · %3 intervals")
                    .arg(QString::fromStdString(algorithm), from)
                    .arg(samples.size()));
        return built;
    }
    if (!request.where.empty())
        throw ConfigError("where", request.where.front().column,
                          "applies to sweep and timeline files, not to scatter");
    auto [model, view] = make_view<ValidationModel, ValidationView>(built);
    model->open(QString::fromStdString(request.input));
    const std::string metric = request.metric.empty() ? "time_s" : request.metric;
    if (std::find(model->metrics().begin(), model->metrics().end(), metric) ==
        model->metrics().end())
        throw ConfigError("metric", metric, "not measured in " + request.input);
    view->set_metric(QString::fromStdString(metric));
    return built;
}

std::string write_plot(const PlotRequest& request) {
    const QString out = QString::fromStdString(request.output);
    const QString suffix = QFileInfo(out).suffix().toLower();
    if (suffix != QStringLiteral("png") && suffix != QStringLiteral("svg"))
        throw ConfigError("out", request.output, "must end in .png or .svg");
    BuiltPlot built = build_plot(request);
    QString error;
    const bool written = suffix == QStringLiteral("png")
                             ? export_view_png(*built.view, out, request.size, &error)
                             : export_view_svg(*built.view, out, request.size, &error);
    if (!written) throw std::runtime_error(error.toStdString());
    return built.note;
}

}  // namespace flashscope::gui
