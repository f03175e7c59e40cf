// A session saved and reopened restores every field.
#include <gtest/gtest.h>

#include <QComboBox>
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
    EXPECT_NE(text.find("flashscope_session: 1"), std::string::npos);
    EXPECT_EQ(session_from_yaml(text), s);
}

TEST(SessionFile, RejectsAFileThatIsNotASession) {
    EXPECT_THROW(session_from_yaml("gpu: h100-sxm5\n"), ConfigError);
    EXPECT_THROW(session_from_yaml("flashscope_session: 1\nproblem: {dtype: fp8}\n"), ConfigError);
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
    EXPECT_EQ(reopened.session().validation_file, test::data_file("validation_sample.json").toStdString());
    const auto text = [&](const char* name) {
        return qobject_cast<QLineEdit*>(reopened.panel()->field_widget(QLatin1String(name)))->text();
    };
    EXPECT_EQ(text("seq_k"), QStringLiteral("2560"));
    EXPECT_EQ(text("softmax_scale"), QStringLiteral("0.125"));
    EXPECT_EQ(text("block_n"), QStringLiteral("32"));
    EXPECT_EQ(qobject_cast<QComboBox*>(reopened.panel()->field_widget(QStringLiteral("pass")))->currentText(),
              QStringLiteral("fwdbwd"));
    EXPECT_EQ(reopened.controller()->snapshot()->config, every_field_changed());
}

}  // namespace
}  // namespace flashscope::gui
