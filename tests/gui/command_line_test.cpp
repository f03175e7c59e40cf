// flashscope-gui reads its own options before Qt does (Qt would take --session for itself), and
// keeps the command's error contract: one line naming the option or the session's field, exit 2.
#include <gtest/gtest.h>

#include <QProcess>
#include <QTemporaryDir>

#include "flashscope/core/error.hpp"
#include "gui_command_line.hpp"

namespace flashscope::gui {
namespace {

GuiCommandLine parse(std::vector<std::string> args) {
    args.insert(args.begin(), "flashscope-gui");
    return parse_gui_command_line(args);
}

std::string error_of(std::vector<std::string> args) {
    try {
        parse(std::move(args));
    } catch (const ConfigError& e) {
        return e.what();
    }
    return "no error";
}

TEST(GuiCommandLine, SessionIsOursInEverySpellingAndQtKeepsItsOwnOptions) {
    for (const auto& args : std::vector<std::vector<std::string>>{{"--session", "a.yaml"},
                                                                  {"-s", "a.yaml"},
                                                                  {"--session=a.yaml"},
                                                                  {"-session", "a.yaml"}}) {
        std::vector<std::string> with_qt = args;
        with_qt.insert(with_qt.end(), {"-platform", "offscreen"});
        const GuiCommandLine line = parse(with_qt);
        EXPECT_EQ(line.session, "a.yaml") << args.front();
        EXPECT_EQ(line.for_qt,
                  (std::vector<std::string>{"flashscope-gui", "-platform", "offscreen"}));
    }
    const GuiCommandLine render =
        parse({"--render", "out", "--size", "640x480", "--select-record", "3"});
    EXPECT_EQ(render.render, "out");
    EXPECT_EQ(render.width, 640);
    EXPECT_EQ(render.height, 480);
    EXPECT_EQ(render.select_record, 3);
}

TEST(GuiCommandLine, BadOptionsNameTheOption) {
    EXPECT_EQ(error_of({"--session"}), "--session = : needs a FILE");
    EXPECT_EQ(error_of({"-s", "a.yaml", "--session", "b.yaml"}),
              "--session = --session: is given twice");
    EXPECT_EQ(error_of({"--size", "12"}), "--size = 12: must look like 1200x720");
    EXPECT_EQ(error_of({"--size", "0x720"}), "--size = 0: must be a whole number in [16, 16384]");
    EXPECT_EQ(error_of({"--help=yes"}), "--help = --help=yes: takes no value");
}

struct GuiRun {
    int exit_code;
    QString err;
};

GuiRun run_gui(const QStringList& args) {
    QProcess gui;
    gui.start(QStringLiteral(FLASHSCOPE_GUI), args);
    EXPECT_TRUE(gui.waitForFinished(60000));
    return {gui.exitCode(), QString::fromUtf8(gui.readAllStandardError())};
}

// Qt's own messages (XDG_RUNTIME_DIR on a bare machine) are not ours: keep our lines only.
QStringList our_lines(const QString& err) {
    QStringList lines = err.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    lines.removeIf(
        [](const QString& l) { return !l.startsWith(QLatin1String("flashscope-gui:")); });
    return lines;
}

TEST(GuiCommandLine, ABadSessionIsOneLineNamingTheFieldAndExitTwo) {
    QTemporaryDir dir;
    const struct {
        const char* yaml;
        const char* names;
    } cases[] = {
        {"flashscope_session: 2\ngpu: tpu\n", "gpu = tpu: unknown preset"},
        {"flashscope_session: 2\nbatch: -4\n",
         "batch = -4: must be a whole number in [1, 1048576]"},
        {"flashscope_session: 1\nproblem: {batch: -4}\n",
         "batch = -4: must be a whole number in [1, 1048576]"},
        {"flashscope_session: 2\nheads: 16\nkv_heads: 5\n", "kv_heads = 5: must divide heads (16)"},
    };
    for (const auto& c : cases) {
        const QString path = dir.filePath(QStringLiteral("bad.yaml"));
        QFile file(path);
        ASSERT_TRUE(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(c.yaml);
        file.close();
        for (const QString& flag :
             {QStringLiteral("--session"), QStringLiteral("-session"), QStringLiteral("-s")}) {
            const GuiRun run = run_gui(
                {flag, path, QStringLiteral("--render"), dir.filePath(QStringLiteral("out"))});
            EXPECT_EQ(run.exit_code, 2) << c.yaml << run.err.toStdString();
            const QStringList lines = our_lines(run.err);
            ASSERT_EQ(lines.size(), 1) << run.err.toStdString();
            EXPECT_TRUE(lines[0].startsWith(
                QStringLiteral("flashscope-gui: error: --session %1: ").arg(path)))
                << lines[0].toStdString();
            EXPECT_TRUE(lines[0].contains(QLatin1String(c.names))) << lines[0].toStdString();
        }
    }
    EXPECT_FALSE(QDir(dir.filePath(QStringLiteral("out"))).exists());
}

TEST(GuiCommandLine, UnknownOptionsAndHelpNeedNoWindow) {
    const GuiRun bogus = run_gui({QStringLiteral("--bogus")});
    EXPECT_EQ(bogus.exit_code, 2);
    EXPECT_EQ(our_lines(bogus.err),
              QStringList{QStringLiteral(
                  "flashscope-gui: error: --bogus: unknown option (--help lists them)")});
    QProcess help;
    help.start(QStringLiteral(FLASHSCOPE_GUI), {QStringLiteral("--help")});
    ASSERT_TRUE(help.waitForFinished(30000));
    EXPECT_EQ(help.exitCode(), 0);
    EXPECT_TRUE(help.readAllStandardOutput().contains("-s, --session FILE"));
}

}  // namespace
}  // namespace flashscope::gui
