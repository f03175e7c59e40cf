// Files written by `flashscope validate` (schema flashscope.validation/1), read through validate's
// readers; the validation view's statistics are validate's, so they equal the file's summary.
#include "flashscope/validate/validation_file.hpp"

#include <gtest/gtest.h>
#include <qcustomplot.h>

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <algorithm>
#include <cmath>
#include <vector>

#include "flashscope/core/error.hpp"
#include "gui_test_support.hpp"
#include "simulation_snapshot.hpp"
#include "validation_model.hpp"
#include "validation_view.hpp"

namespace flashscope::gui {
namespace {

QJsonObject json_file(const QString& path) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

QString plot_title(ValidationView& view) {
    auto* plot = qobject_cast<QCustomPlot*>(view.picture_widget());
    auto* title = plot ? qobject_cast<QCPTextElement*>(plot->plotLayout()->element(0, 0)) : nullptr;
    return title ? title->text() : QString();
}

QString percent(double fraction) {
    return QStringLiteral("median |error| %1 %").arg(fraction * 100, 0, 'f', 1);
}

TEST(ValidationFile, ReadsTheJsonFixture) {
    ValidationModel model;
    model.open(test::data_file("validation_sample.json"));
    ASSERT_EQ(model.rowCount(), 14);
    EXPECT_EQ(model.validation().gpu_preset, "h100-sxm5");
    const auto first = model.configuration(0);
    EXPECT_EQ(first.algorithm, Algorithm::flash2);
    EXPECT_EQ(first.problem.seq_q, 1024);
    EXPECT_EQ(first.tile, (TileConfig{64, 64, 4, 2}));
    EXPECT_EQ(first.gpu, "h100-sxm5");
    EXPECT_EQ(first.model, sim::Model::cycle);
    EXPECT_TRUE(model.record(0).is_measured("time_s"));
    EXPECT_FALSE(model.record(0).is_measured("sram_read_bytes"));
    EXPECT_TRUE(std::isnan(model.record(0).relative_error("sram_read_bytes")));
}

TEST(ValidationFile, ReadsTheCsvFormThatValidateWrites) {
    auto run = validate::read_validation(test::data_file("validation_sample.json").toStdString());
    run.model = "analytic";
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("run.csv"));
    validate::write_validation(path.toStdString(), run, validate::FileFormat::csv);
    ValidationModel model;
    model.open(path);
    ASSERT_EQ(model.rowCount(), static_cast<int>(run.records.size()));
    EXPECT_EQ(model.path(), path);
    EXPECT_EQ(model.configuration(0).model, sim::Model::analytic);
    for (int row = 0; row < model.rowCount(); ++row) {
        EXPECT_EQ(model.record(row).key, run.records[static_cast<std::size_t>(row)].key);
        EXPECT_DOUBLE_EQ(model.record(row).relative_error("time_s"),
                         run.records[static_cast<std::size_t>(row)].relative_error("time_s"));
    }
}

TEST(ValidationFile, AnotherSchemaIsRefusedAndTheShownFileStays) {
    ValidationModel model;
    model.open(test::data_file("validation_sample.json"));
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("other.json"));
    QFile file(path);
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    file.write(R"({"schema": "flashscope.result/1", "records": []})");
    file.close();
    EXPECT_THROW(model.open(path), ConfigError);
    EXPECT_EQ(model.rowCount(), 14);
    EXPECT_EQ(model.path(), test::data_file("validation_sample.json"));
}

TEST(ValidationFile, ReadsEveryCommittedRunAndItsConfigurationsSimulate) {
    const QDir dir(QStringLiteral(FLASHSCOPE_SOURCE_DIR "/docs/validation"));
    const auto files = dir.entryList({QStringLiteral("*.json")}, QDir::Files);
    if (files.isEmpty()) GTEST_SKIP() << "no docs/validation/*.json";
    for (const auto& name : files) {
        const auto path = dir.filePath(name);
        const auto records = json_file(path).value(QStringLiteral("records")).toArray();
        ValidationModel model;
        model.open(path);
        ASSERT_EQ(model.rowCount(), records.size()) << name.toStdString();
        ASSERT_GT(model.rowCount(), 0);
        for (int row = 0; row < model.rowCount(); ++row) {
            EXPECT_FALSE(model.record(row).measured_fields.empty()) << name.toStdString();
            auto config = model.configuration(row);
            config.model = sim::Model::analytic;
            EXPECT_NO_THROW(simulate_selected(config))
                << name.toStdString() << " " << model.record(row).key.kernel;
        }
    }
}

TEST(ValidationView, MedianIsTheMeanOfTheTwoMiddleErrors) {
    // The fixture has 14 time_s errors: the median is the mean of the 7th and 8th, not the 8th.
    const QString path = test::data_file("validation_sample.json");
    std::vector<double> errors;
    for (const auto& r : json_file(path).value(QStringLiteral("records")).toArray()) {
        const auto error = r.toObject()
                               .value(QStringLiteral("relative_error"))
                               .toObject()
                               .value(QStringLiteral("time_s"));
        if (error.isDouble()) errors.push_back(std::abs(error.toDouble()));
    }
    ASSERT_EQ(errors.size(), 14U);
    std::sort(errors.begin(), errors.end());
    const double median = 0.5 * (errors[6] + errors[7]);
    ASSERT_NE(percent(median), percent(errors[7]))
        << "the fixture cannot tell the two medians apart";
    ValidationModel model;
    ValidationView view(&model);
    model.open(path);
    view.set_metric(QStringLiteral("time_s"));
    EXPECT_TRUE(plot_title(view).contains(percent(median))) << plot_title(view).toStdString();
    EXPECT_TRUE(plot_title(view).contains(QStringLiteral("14 records")))
        << plot_title(view).toStdString();
}

TEST(ValidationView, StatisticsEqualTheFilesSummary) {
    const QDir dir(QStringLiteral(FLASHSCOPE_SOURCE_DIR "/docs/validation"));
    const auto files = dir.entryList({QStringLiteral("*.json")}, QDir::Files);
    if (files.isEmpty()) GTEST_SKIP() << "no docs/validation/*.json";
    for (const auto& name : files) {
        const auto path = dir.filePath(name);
        const auto summary = json_file(path)
                                 .value(QStringLiteral("summary"))
                                 .toObject()
                                 .value(QStringLiteral("errors"))
                                 .toArray();
        ASSERT_FALSE(summary.isEmpty()) << name.toStdString();
        ValidationModel model;
        ValidationView view(&model);
        model.open(path);
        for (const auto& entry : summary) {
            const auto e = entry.toObject();
            const QString metric = e.value(QStringLiteral("metric")).toString();
            view.set_metric(metric);
            ASSERT_EQ(view.metric(), metric);
            const QString title = plot_title(view);
            const double median = e.value(QStringLiteral("median_abs_relative_error")).toDouble();
            EXPECT_TRUE(title.contains(percent(median)))
                << name.toStdString() << ": " << title.toStdString();
            EXPECT_TRUE(title.contains(
                QStringLiteral("%1 records").arg(e.value(QStringLiteral("count")).toInt())))
                << name.toStdString() << ": " << title.toStdString();
        }
    }
}

TEST(ValidationView, SelectingARecordLoadsItsConfiguration) {
    MainWindow window;
    ASSERT_TRUE(window.open_validation_file(test::data_file("validation_sample.json")));
    ASSERT_TRUE(test::settle(window));
    const int row = 3;  // flash2, seq 4096, 64 x 64
    window.validation_view()->select_record(row);
    ASSERT_TRUE(test::settle(window));
    const auto expected = window.validation_model()->configuration(row);
    EXPECT_EQ(window.panel()->configuration().problem, expected.problem);
    EXPECT_EQ(window.panel()->configuration().tile, expected.tile);
    EXPECT_EQ(window.panel()->configuration().algorithm, expected.algorithm);
    EXPECT_EQ(window.controller()->snapshot()->config.tile, expected.tile);
}

}  // namespace
}  // namespace flashscope::gui
