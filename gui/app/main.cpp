// flashscope-gui: starts the main window; with --render DIR it draws every view offscreen into
// DIR/<view>.png (and the whole window into DIR/main_window.png) and exits, for the README.
// Usage errors (a bad option, a bad session file) are one line on stderr and exit 2.
#include <QApplication>
#include <QDir>
#include <QTextStream>
#include <string>
#include <vector>

#include "about_text.hpp"
#include "exportable_view.hpp"
#include "flashscope/core/error.hpp"
#include "gui_command_line.hpp"
#include "main_window.hpp"
#include "validation_view.hpp"
#include "view_renderer.hpp"

using flashscope::gui::MainWindow;

namespace {

int render_all(MainWindow& window, const QString& directory, const QSize& size) {
    QTextStream err(stderr);
    if (!window.controller()->wait_until_idle(120000)) {
        err << "flashscope-gui: simulation did not finish\n";
        return 1;
    }
    QDir().mkpath(directory);
    for (auto* view : window.views()) {
        QString error;
        const QString path = QDir(directory).filePath(view->export_name() + QStringLiteral(".png"));
        if (!flashscope::gui::export_view_png(*view, path, size, &error)) {
            err << "flashscope-gui: " << error << '\n';
            return 1;
        }
        err << "wrote " << path << '\n';
    }
    window.resize(1500, 900);
    window.show_view(0);
    window.show();
    QApplication::processEvents();
    const QString path = QDir(directory).filePath(QStringLiteral("main_window.png"));
    if (!window.grab().save(path)) {
        err << "flashscope-gui: cannot write " << path << '\n';
        return 1;
    }
    err << "wrote " << path << '\n';
    return 0;
}

// One line on stderr, as the flashscope command writes its errors.
int usage_error(const QString& text) {
    QTextStream(stderr) << "flashscope-gui: error: " << text << '\n';
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    using namespace flashscope::gui;
    GuiCommandLine line;
    try {  // before Qt, which would take --session for itself
        line = parse_gui_command_line(std::vector<std::string>(argv, argv + argc));
    } catch (const flashscope::ConfigError& e) {
        return usage_error(QString::fromStdString(
            e.field() + (e.value().empty() ? "" : " " + e.value()) + ": " + e.limit()));
    }
    if (line.help || line.version) {  // no display needed
        QTextStream(stdout)
            << (line.help ? QString::fromStdString(gui_help_text())
                          : QStringLiteral("flashscope-gui %1\n").arg(flashscope_version()));
        return 0;
    }
    std::vector<char*> qt_argv;
    for (std::string& arg : line.for_qt) qt_argv.push_back(arg.data());
    int qt_argc = static_cast<int>(qt_argv.size());
    qt_argv.push_back(nullptr);
    QApplication app(qt_argc, qt_argv.data());
    QApplication::setApplicationName(QStringLiteral("flashscope-gui"));
    QApplication::setOrganizationName(QStringLiteral("flashscope"));
    QApplication::setApplicationVersion(flashscope_version());
    if (QApplication::arguments().size() > 1)  // neither ours nor Qt's
        return usage_error(QStringLiteral("%1: unknown option (--help lists them)")
                               .arg(QApplication::arguments().at(1)));

    MainWindow window;
    QString error;
    if (!line.session.empty() &&
        !window.open_session_from(QString::fromStdString(line.session), &error))
        return usage_error(
            QStringLiteral("--session %1: %2").arg(QString::fromStdString(line.session), error));
    if (!line.validation.empty() &&
        !window.open_validation_file(QString::fromStdString(line.validation), &error))
        return usage_error(QStringLiteral("--validation %1: %2")
                               .arg(QString::fromStdString(line.validation), error));
    if (!line.render.empty()) {
        if (line.select_record >= 0) window.validation_view()->select_record(line.select_record);
        return render_all(window, QString::fromStdString(line.render),
                          QSize(line.width, line.height));
    }
    window.show();
    return QApplication::exec();
}
