#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "flashscope/core/error.hpp"
#include "flashscope/validate/validation_file.hpp"

using namespace flashscope;
using namespace flashscope::validate;

namespace {

ValidationRun sample_run() {
    ValidationRun run;
    run.device = "NVIDIA H200";
    run.chip = "GH100";
    run.gpu_preset = "h200-sxm";
    run.model = "cycle";
    run.l2_protocol = "chained";
    run.suite = "quick \"test\"";
    run.date = "2026-11-26T04:00:00Z";
    run.command = "flashscope validate --suite configs/validation/quick.yaml";
    run.sm_clock_hz = 1.98e9;
    run.passes = 3;
    for (int i = 0; i < 2; ++i) {
        ValidationRecord r;
        r.key.problem.batch = 2;
        r.key.problem.seq_q = r.key.problem.seq_k = 1024 * (i + 1);
        r.key.problem.head_dim = 64;
        r.key.problem.causal = i == 1;
        r.key.problem.pass = i == 1 ? Pass::bwd : Pass::fwd;
        r.key.algorithm = i == 0 ? Algorithm::naive : Algorithm::flash2;
        r.key.tile = i == 0 ? TileConfig{} : TileConfig{128, 64, 4, 2};
        r.key.kernel = i == 0 ? "naive_qk" : "flash2_bwd";
        r.predicted.hbm_read_bytes = 123456789012 + i;
        r.predicted.hbm_write_bytes = 42;
        r.predicted.time_s = 1.25e-4;
        r.predicted.flops_matmul = 3.5e12;
        r.predicted.flops_softmax = 1e9;
        r.measured.hbm_read_bytes = 123000000000;
        r.measured.time_s = 1.5e-4;
        r.measured_fields = {"hbm_read_bytes", "time_s"};
        if (i == 1) {  // optional instruction fields: measured, and predicted for one
            r.measured.inst_tensor = 4096;
            r.measured.local_store_bytes = 1.5e6;
            r.predicted.inst_tensor = 4000;
            r.measured_fields.insert({"inst_tensor", "local_store_bytes"});
        }
        r.counters = {{"dram__bytes_read.sum", 1.23e11},
                      {"sm__cycles_elapsed.avg.per_second", 1.98e9}};
        r.sm_clock_hz = 1.98e9;
        r.counter_time_s = 1.6e-4;
        run.records.push_back(r);
    }
    run.errors = summarize_errors(run.records);
    run.ranks = rank_agreement(run.records);
    return run;
}

void expect_same_records(const ValidationRun& a, const ValidationRun& b) {
    ASSERT_EQ(a.records.size(), b.records.size());
    for (std::size_t i = 0; i < a.records.size(); ++i) {
        const auto& x = a.records[i];
        const auto& y = b.records[i];
        EXPECT_EQ(x.key, y.key) << i;
        EXPECT_EQ(x.measured_fields, y.measured_fields);
        for (const auto& info : metric_table()) {
            // NaN: an optional field left empty, which must stay empty.
            const double xp = info.get(x.predicted), yp = info.get(y.predicted);
            EXPECT_EQ(std::isnan(xp), std::isnan(yp)) << info.name;
            if (!std::isnan(xp)) EXPECT_DOUBLE_EQ(xp, yp) << info.name;
            if (x.is_measured(std::string(info.name)))
                EXPECT_DOUBLE_EQ(info.get(x.measured), info.get(y.measured)) << info.name;
        }
        EXPECT_DOUBLE_EQ(x.sm_clock_hz, y.sm_clock_hz);
    }
}

std::string temp_path(const std::string& name) {
    return (std::filesystem::temp_directory_path() / ("flashscope_validate_" + name)).string();
}

}  // namespace

TEST(ValidationJson, RoundTripKeepsEveryRecordAndRunField) {
    const auto run = sample_run();
    const auto text = to_json(run);
    EXPECT_NE(text.find("\"schema\": \"flashscope.validation/1\""), std::string::npos);
    const auto back = from_json(text);
    EXPECT_EQ(back.device, run.device);
    EXPECT_EQ(back.suite, run.suite);
    EXPECT_EQ(back.command, run.command);
    EXPECT_EQ(back.passes, 3);
    EXPECT_EQ(back.l2_protocol, "chained");
    EXPECT_DOUBLE_EQ(back.sm_clock_hz, run.sm_clock_hz);
    expect_same_records(run, back);
    EXPECT_DOUBLE_EQ(back.records[0].counters.at("dram__bytes_read.sum"), 1.23e11);
    ASSERT_EQ(back.errors.size(), run.errors.size());
}

TEST(ValidationJson, RejectsAnotherSchema) {
    EXPECT_THROW(from_json("{\"schema\": \"flashscope.result/1\", \"records\": []}"), ConfigError);
}

TEST(ValidationJson, MalformedFilesAreConfigErrorsNamingTheRecord) {
    EXPECT_THROW(from_json("not json"), ConfigError);
    auto text = to_json(sample_run());
    const auto at = text.find("\"batch\": 2");
    ASSERT_NE(at, std::string::npos);
    text.replace(at, std::string("\"batch\": 2").size(), "\"batch\": \"two\"");
    try {
        from_json(text);
        FAIL() << "a record with a text batch was accepted";
    } catch (const ConfigError& e) {
        EXPECT_EQ(e.value(), "record 0");
    }
}

TEST(ValidationCsv, ANonNumberCellIsAConfigErrorNamingItsColumn) {
    auto text = to_csv(sample_run());
    const auto at = text.find(",1024,1024,64,");
    ASSERT_NE(at, std::string::npos);
    text.replace(at, 14, ",1024,10x4,64,");
    try {
        from_csv(text);
        FAIL() << "seq_k 10x4 was accepted";
    } catch (const ConfigError& e) {
        EXPECT_EQ(e.field(), "csv column seq_k");
        EXPECT_EQ(e.value(), "10x4");
    }
}

TEST(ValidationCsv, RoundTripAndOneRowPerRecord) {
    const auto run = sample_run();
    const auto text = to_csv(run);
    EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 3);
    EXPECT_NE(
        text.find("predicted_hbm_read_bytes,measured_hbm_read_bytes,rel_error_hbm_read_bytes"),
        std::string::npos);
    const auto back = from_csv(text);
    EXPECT_EQ(back.gpu_preset, "h200-sxm");
    EXPECT_EQ(back.l2_protocol, "chained");
    expect_same_records(run, back);
}

TEST(ValidationFile, WritesAtomicallyAndReadsByExtension) {
    const auto run = sample_run();
    for (auto [name, format] : {std::pair{std::string("run.json"), FileFormat::json},
                                std::pair{std::string("run.csv"), FileFormat::csv}}) {
        const auto path = temp_path(name);
        write_validation(path, run, format);
        expect_same_records(run, read_validation(path));
        for (const auto& entry :
             std::filesystem::directory_iterator(std::filesystem::path(path).parent_path()))
            EXPECT_EQ(entry.path().string().find(path + ".tmp"), std::string::npos);
        std::remove(path.c_str());
    }
}

TEST(ValidationFile, UnwritablePathIsAConfigError) {
    EXPECT_THROW(write_validation("/nonexistent-dir/x/out.json", sample_run(), FileFormat::json),
                 ConfigError);
    EXPECT_THROW(parse_file_format("xml"), ConfigError);
}
