// A session saved and reopened restores every field.
#include <gtest/gtest.h>

#include <QComboBox>
#include <QFile>
#include <QLineEdit>
#include <QTemporaryDir>

#include "flashscope/core/error.hpp"
#include "gui_test_support.hpp"

namespace flashscope::gui {
namespace {

GuiConfiguration every_field_changed() {
    GuiConfiguration c;
    c.gpu = "a100-sxm4-40gb";
    c.problem = {2, 12, 4, 1536, 2560, 96, DType::fp16, true, Pass::fwdbwd, 0.125, 0.1};
    c.algorithm = Algorithm::flash1;
    c.tile = {64, 32, 4, 2};
    c.model = sim::Model::analytic;
    c.naive_eager = true;
    return c;
}

TEST(SessionFile, YamlRoundTripKeepsEveryField) {
    Session s;
    s.config = every_field_changed();
    s.current_view = 3;
    s.validation_file = "/tmp/run.json";
    const auto text = session_to_yaml(s);
    EXPECT_NE(text.find("flashscope_session: 2"), std::string::npos);
    EXPECT_NE(text.find("\nblock_n: 32\n"), std::string::npos) << text;  // the sweep file's keys
    EXPECT_EQ(session_from_yaml(text), s);
}

TEST(SessionFile, ReadsVersionOneFiles) {
    const Session s = session_from_yaml(
        "flashscope_session: 1\ngpu: a100-sxm4-40gb\n"
        "problem: {batch: 2, heads: 12, kv_heads: 4, seq_q: 1536, seq_k: 2560, head_dim: 96,\n"
        "          dtype: fp16, causal: true, pass: fwdbwd, softmax_scale: 0.125, dropout: 0.1}\n"
        "algorithm: flash1\ntile: {block_m: 64, block_n: 32, warps: 4, stages: 2}\nmodel: "
        "analytic\n"
        "naive_eager: true\nview: 3\nvalidation_file: \"/tmp/run.json\"\n");
    EXPECT_EQ(s.config, every_field_changed());
    EXPECT_EQ(s.current_view, 3);
    EXPECT_EQ(s.validation_file, "/tmp/run.json");
}

std::string error_of(const std::string& yaml) {
    try {
        session_from_yaml(yaml);
    } catch (const ConfigError& e) {
        return e.field() + ": " + e.what();
    }
    return "no error";
}

TEST(SessionFile, ABadSessionNamesTheField) {
    EXPECT_EQ(error_of("gpu: h100-sxm5\n"),
              "session: session = (file): is not a flashscope session (no flashscope_session key)");
    EXPECT_EQ(error_of("flashscope_session: 2\ndtype: fp8\n").rfind("dtype: dtype = fp8: ", 0), 0u);
    EXPECT_EQ(
        error_of("flashscope_session: 2\ngpu: tpu\n").rfind("gpu: gpu = tpu: unknown preset", 0),
        0u);
    EXPECT_EQ(error_of("flashscope_session: 2\nbatch: -4\n"),
              "batch: batch = -4: must be a whole number in [1, 1048576]");
    EXPECT_EQ(error_of("flashscope_session: 2\nheads: 16\nkv_heads: 5\n"),
              "kv_heads: kv_heads = 5: must divide heads (16)");
    EXPECT_EQ(error_of("flashscope_session: 2\nseq: 1024\nseq_q: 512\n"),
              "seq_q: seq_q = 512: conflicts with seq 1024; give one or the other");
    EXPECT_EQ(error_of("flashscope_session: 2\nbacth: 4\n")
                  .rfind("bacth: bacth = (key): unknown in a session", 0),
              0u);
    EXPECT_EQ(error_of("flashscope_session: 3\n"),
              "flashscope_session: flashscope_session = 3: must be a whole number in [1, 2]");
}

TEST(SessionFile, OpeningABadSessionSaysWhyAndKeepsTheShownConfiguration) {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("bad.yaml"));
    QFile file(path);
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    file.write("flashscope_session: 2\ngpu: a100-sxm4-40gb\nbatch: -4\n");
    file.close();
    MainWindow window;
    ASSERT_TRUE(test::settle(window));
    const GuiConfiguration before = window.panel()->configuration();
    QString error;
    EXPECT_FALSE(window.open_session_from(path, &error));
    EXPECT_EQ(error, QStringLiteral("batch = -4: must be a whole number in [1, 1048576]"));
    ASSERT_TRUE(test::settle(window));
    // Nothing of the file was applied: not its GPU either, so the views match the panel.
    EXPECT_EQ(window.panel()->configuration(), before);
    EXPECT_EQ(window.controller()->snapshot()->config, before);
}

TEST(SessionFile, SavedFromOneWindowRestoresEveryWidgetInAnother) {
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("session.yaml"));
    {
        MainWindow window;
        window.panel()->set_configuration(every_field_changed());
        window.show_view(4);
        window.open_validation_file(test::data_file("validation_sample.json"));
        ASSERT_TRUE(test::settle(window));
        ASSERT_FALSE(window.panel()->has_error()) << window.panel()->error_text().toStdString();
        QString error;
        ASSERT_TRUE(window.save_session_to(path, &error)) << error.toStdString();
    }
    MainWindow reopened;
    QString error;
    ASSERT_TRUE(reopened.open_session_from(path, &error)) << error.toStdString();
    ASSERT_TRUE(test::settle(reopened));
    EXPECT_EQ(reopened.panel()->configuration(), every_field_changed());
    EXPECT_EQ(reopened.current_view(), reopened.views()[4]);
    EXPECT_EQ(reopened.session().validation_file,
              test::data_file("validation_sample.json").toStdString());
    const auto text = [&](const char* name) {
        return qobject_cast<QLineEdit*>(reopened.panel()->field_widget(QLatin1String(name)))
            ->text();
    };
    EXPECT_EQ(text("seq_k"), QStringLiteral("2560"));
    EXPECT_EQ(text("softmax_scale"), QStringLiteral("0.125"));
    EXPECT_EQ(text("block_n"), QStringLiteral("32"));
    EXPECT_EQ(qobject_cast<QComboBox*>(reopened.panel()->field_widget(QStringLiteral("pass")))
                  ->currentText(),
              QStringLiteral("fwdbwd"));
    EXPECT_EQ(reopened.controller()->snapshot()->config, every_field_changed());
}

}  // namespace
}  // namespace flashscope::gui
