// Files written by `flashscope validate` (schema flashscope.validation/1) read without validate/.
#include <gtest/gtest.h>

#include <QItemSelectionModel>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTableView>
#include <cmath>

#include "flashscope/core/error.hpp"
#include "gui_test_support.hpp"
#include "simulation_snapshot.hpp"
#include "validation_file_reader.hpp"
#include "validation_model.hpp"
#include "validation_view.hpp"

namespace flashscope::gui {
namespace {

TEST(ValidationFile, ReadsTheJsonFixture) {
    const auto run = read_validation_file(test::data_file("validation_sample.json"));
    ASSERT_EQ(run.records.size(), 14U);
    EXPECT_EQ(run.gpu_preset, QStringLiteral("h100-sxm5"));
    const auto& first = run.records.front();
    EXPECT_EQ(first.config.algorithm, Algorithm::flash2);
    EXPECT_EQ(first.config.problem.seq_q, 1024);
    EXPECT_EQ(first.config.tile, (TileConfig{64, 64, 4, 2}));
    EXPECT_EQ(first.config.gpu, "h100-sxm5");
    EXPECT_TRUE(first.is_measured("time_s"));
    EXPECT_FALSE(first.is_measured("sram_read_bytes"));
    EXPECT_TRUE(std::isnan(first.relative_error("sram_read_bytes")));
}

TEST(ValidationFile, ReadsTheCsvForm) {
    const QByteArray csv =
        "schema,device,chip,gpu_preset,model,batch,heads,kv_heads,seq_q,seq_k,head_dim,dtype,causal,pass,algorithm,"
        "block_m,block_n,warps,stages,kernel,sm_clock_hz,counter_time_s,predicted_time_s,measured_time_s,rel_error_time_s\n"
        "flashscope.validation/1,H100,gh100,h100-sxm5,analytic,1,8,8,512,512,64,bf16,true,fwd,naive,128,128,8,3,"
        "naive_qk,1.7e9,1e-5,2e-5,1e-5,1\n";
    const auto run = parse_validation_csv(csv);
    ASSERT_EQ(run.records.size(), 1U);
    const auto& r = run.records.front();
    EXPECT_EQ(r.config.model, sim::Model::analytic);
    EXPECT_TRUE(r.config.problem.causal);
    EXPECT_EQ(r.kernel, QStringLiteral("naive_qk"));
    EXPECT_DOUBLE_EQ(r.relative_error("time_s"), 1.0);
}

TEST(ValidationFile, RejectsAnotherSchema) {
    EXPECT_THROW(parse_validation_json(R"({"schema": "flashscope.result/1", "records": []})"), ConfigError);
    EXPECT_THROW(parse_validation_json("not json"), ConfigError);
}

TEST(ValidationFile, ReadsEveryCommittedRunAndItsConfigurationsSimulate) {
    const QDir dir(QStringLiteral(FLASHSCOPE_SOURCE_DIR "/docs/validation"));
    const auto files = dir.entryList({QStringLiteral("*.json")}, QDir::Files);
    if (files.isEmpty()) GTEST_SKIP() << "no docs/validation/*.json";
    for (const auto& name : files) {
        const auto path = dir.filePath(name);
        QFile file(path);
        ASSERT_TRUE(file.open(QIODevice::ReadOnly));
        const auto records = QJsonDocument::fromJson(file.readAll()).object().value(QStringLiteral("records")).toArray();
        const auto run = read_validation_file(path);
        ASSERT_EQ(run.records.size(), static_cast<std::size_t>(records.size())) << name.toStdString();
        ASSERT_FALSE(run.records.empty());
        for (const auto& entry : run.records) {
            EXPECT_FALSE(entry.measured.empty()) << name.toStdString();
            auto config = entry.config;
            config.model = sim::Model::analytic;
            EXPECT_NO_THROW(simulate_selected(config)) << name.toStdString() << " " << entry.kernel.toStdString();
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
    const auto& expected = window.validation_model()->entry(row).config;
    EXPECT_EQ(window.panel()->configuration().problem, expected.problem);
    EXPECT_EQ(window.panel()->configuration().tile, expected.tile);
    EXPECT_EQ(window.panel()->configuration().algorithm, expected.algorithm);
    EXPECT_EQ(window.controller()->snapshot()->config.tile, expected.tile);
}

}  // namespace
}  // namespace flashscope::gui
