// flashscope-plot: draws one of flashscope-gui's views from a file, headless (Qt's offscreen
// platform, no display), into PNG or SVG. `flashscope plot` runs it; see headless_plot.hpp.
#include <CLI/CLI.hpp>
#include <QApplication>
#include <iostream>

#include "error_report.hpp"
#include "headless_plot.hpp"

namespace {

// Qt warns on stderr when XDG_RUNTIME_DIR is unset (containers, batch jobs); a headless plot needs
// no runtime directory, so that one warning is dropped and every other message kept.
void quiet_runtime_dir_warning(QtMsgType type, const QMessageLogContext& context,
                               const QString& message) {
    if (message.contains(QStringLiteral("XDG_RUNTIME_DIR"))) return;
    std::cerr << qFormatLogMessage(type, context, message).toStdString() << "\n";
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{
        "flashscope plot: draw a view of flashscope-gui from a file into PNG or SVG, headless"};
    flashscope::gui::PlotRequest request;
    std::vector<std::string> where;
    std::string size = "1200x720";
    app.add_option(
           "kind", request.kind,
           "heatmap, scaling, roofline, memory (sweep file), timeline (simulate --timeline CSV), "
           "scatter (validation file) or auto")
        ->required();
    app.add_option("input", request.input, "the file to draw")->required();
    app.add_option("-o,--out", request.output, "picture to write: .png or .svg")->required();
    app.add_option("--size", size, "WIDTHxHEIGHT in pixels")->capture_default_str();
    app.add_option("--metric", request.metric,
                   "heatmap colour (time_s, hbm_bytes, l2_bytes, sram_bytes) or scatter field "
                   "(default time_s)");
    app.add_option("--where", where,
                   "keep the rows whose COLUMN=VALUE (repeat); e.g. --where head_dim=128");
    app.add_flag("--linear", request.linear, "heatmap: linear colour scale (default log)");
    try {
        app.parse(argc, argv);
    } catch (const CLI::Success& e) {  // --help
        return app.exit(e);
    } catch (...) {  // the flashscope command's error contract: one line, exit 2 for usage
        return flashscope::cli::report_current_exception(std::cerr);
    }
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    qInstallMessageHandler(quiet_runtime_dir_warning);
    int qt_argc = 1;
    QApplication qt(qt_argc, argv);
    try {
        request.size = flashscope::gui::parse_plot_size(size);
        for (const auto& w : where) request.where.push_back(flashscope::gui::parse_row_filter(w));
        const std::string note = flashscope::gui::write_plot(request);
        if (!note.empty()) std::cerr << "plot: " << note << "\n";
        std::cerr << "plot: wrote " << request.output << "\n";
    } catch (...) {
        return flashscope::cli::report_current_exception(std::cerr);
    }
    return 0;
}
