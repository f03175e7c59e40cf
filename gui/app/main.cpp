// flashscope-gui: starts the main window; with --render DIR it draws every view offscreen into
// DIR/<view>.png (and the whole window into DIR/main_window.png) and exits, for the README.
#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QTextStream>

#include "about_text.hpp"
#include "exportable_view.hpp"
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

}  // namespace

int main(int argc, char** argv) {
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("flashscope-gui"));
    QApplication::setOrganizationName(QStringLiteral("flashscope"));
    QApplication::setApplicationVersion(flashscope::gui::flashscope_version());

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Where attention's bytes and cycles go on a GPU"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption session({QStringLiteral("s"), QStringLiteral("session")}, QStringLiteral("Open a session file"), QStringLiteral("file"));
    const QCommandLineOption validation(QStringLiteral("validation"), QStringLiteral("Open a validation file"), QStringLiteral("file"));
    const QCommandLineOption render(QStringLiteral("render"), QStringLiteral("Render every view into a folder and exit"), QStringLiteral("dir"));
    const QCommandLineOption size(QStringLiteral("size"), QStringLiteral("Image size for --render (WxH)"), QStringLiteral("WxH"), QStringLiteral("1200x720"));
    const QCommandLineOption record(QStringLiteral("select-record"), QStringLiteral("Select a validation record (row)"), QStringLiteral("row"));
    parser.addOptions({session, validation, render, size, record});
    parser.process(app);

    MainWindow window;
    QString error;
    if (parser.isSet(session) && !window.open_session_from(parser.value(session), &error)) {
        QTextStream(stderr) << "flashscope-gui: " << error << '\n';
        return 2;
    }
    if (parser.isSet(validation) && !window.open_validation_file(parser.value(validation), &error)) {
        QTextStream(stderr) << "flashscope-gui: " << error << '\n';
        return 2;
    }
    if (parser.isSet(render)) {
        const auto parts = parser.value(size).split(QLatin1Char('x'));
        const QSize image(parts.value(0).toInt(), parts.value(1).toInt());
        if (!image.isValid() || image.isEmpty()) {
            QTextStream(stderr) << "flashscope-gui: --size must look like 1200x720\n";
            return 2;
        }
        if (parser.isSet(record)) window.validation_view()->select_record(parser.value(record).toInt());
        return render_all(window, parser.value(render), image);
    }
    window.show();
    return QApplication::exec();
}
