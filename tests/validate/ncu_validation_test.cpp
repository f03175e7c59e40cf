// validate --ncu's join: launches of a report against the simulation of the same problem, every
// launch accounted for, and a run that writes, reads back and traces like any validation.
#include "flashscope/validate/ncu_validation.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cmath>
#include <filesystem>
#include <set>

#include "flashscope/core/error.hpp"
#include "flashscope/sim/simulate.hpp"
#include "flashscope/validate/ncu_metrics.hpp"
#include "flashscope/validate/validation_trace.hpp"
#include "ncu_test_support.hpp"

using namespace flashscope;
using namespace flashscope::validate;

namespace {

NcuValidationOptions options(Pass pass = Pass::fwd) {
    NcuValidationOptions o;
    o.problem.batch = 1;
    o.problem.heads = o.problem.kv_heads = 8;
    o.problem.seq_q = o.problem.seq_k = 1024;
    o.problem.head_dim = 128;
    o.problem.pass = pass;
    return o;
}

NcuValidation validated(const std::string& fixture, const NcuValidationOptions& o,
                        const NcuReport** keep = nullptr) {
    static std::vector<std::unique_ptr<NcuReport>> reports;  // launches point into their report
    reports.push_back(std::make_unique<NcuReport>(read_ncu_report(ncu_fixture(fixture))));
    if (keep) *keep = reports.back().get();
    return validate_ncu_report(*reports.back(), kernel_rules(""), o);
}

}  // namespace

TEST(NcuValidation, ARecordJoinsTheLaunchToTheSimulationOfTheSameProblemAndTile) {
    const NcuReport* report = nullptr;
    const NcuValidation v = validated("sdpa_flash_fwd.raw.csv", options(), &report);
    ASSERT_EQ(v.run.records.size(), 1u);
    const ValidationRecord& r = v.run.records[0];
    const auto compared =
        std::find_if(v.launches.begin(), v.launches.end(),
                     [](const NcuLaunch& l) { return l.fate == LaunchFate::compared; });
    ASSERT_NE(compared, v.launches.end());
    const NcuKernel& launch = *compared->kernel;
    EXPECT_EQ(r.key.kernel, "flash2_fwd");
    EXPECT_EQ(r.key.algorithm, Algorithm::flash2);
    // The tile is the one in the kernel's name (Flash_fwd_kernel_traits<d, block_m, block_n,
    // warps>).
    const TileConfig named = KernelMatcher(kernel_rules(""), Pass::fwd).match(launch.name).tile;
    EXPECT_EQ(r.key.tile.block_m, named.block_m);
    EXPECT_EQ(r.key.tile.block_n, named.block_n);
    EXPECT_EQ(r.key.tile.warps, named.warps);
    EXPECT_EQ(v.run.gpu_preset, "h200-sxm");  // from device__attribute_display_name
    EXPECT_NE(v.run.device.find("H200"), std::string::npos);

    sim::SimulationRequest req;
    req.gpu = sim::gpu_preset("h200-sxm");
    req.problem = options().problem;
    req.algorithm = Algorithm::flash2;
    req.tile = r.key.tile;
    const sim::KernelResult k = sim::simulate(req).kernels.at(0);
    EXPECT_EQ(r.predicted.hbm_read_bytes, k.metrics.hbm_read_bytes);
    EXPECT_EQ(r.predicted.sram_read_bytes, k.metrics.sram_read_bytes);
    EXPECT_DOUBLE_EQ(r.predicted.time_s,
                     k.metrics.time_s - req.gpu.kernel_launch_s);  // ncu times the kernel alone
    const NcuMeasurement m = measure_ncu_kernel(launch, report->origin);
    EXPECT_EQ(r.measured.hbm_read_bytes, m.metrics.hbm_read_bytes);
    EXPECT_DOUBLE_EQ(r.relative_error("hbm_read_bytes"),
                     (double(k.metrics.hbm_read_bytes) - double(m.metrics.hbm_read_bytes)) /
                         double(m.metrics.hbm_read_bytes));
    EXPECT_DOUBLE_EQ(r.counters.at("ncu_launch_id"), double(launch.id));
}

TEST(NcuValidation, RawAndDetailsPagesGiveTheSameRecords) {
    const NcuValidation raw = validated("sdpa_flash_fwd.raw.csv", options());
    const NcuValidation details = validated("sdpa_flash_fwd.details.csv", options());
    ASSERT_EQ(raw.run.records.size(), details.run.records.size());
    for (std::size_t i = 0; i < raw.run.records.size(); ++i) {
        EXPECT_EQ(raw.run.records[i].measured_fields, details.run.records[i].measured_fields);
        for (const auto& info : metric_table()) {
            if (!raw.run.records[i].is_measured(std::string(info.name))) continue;
            EXPECT_NEAR(info.get(raw.run.records[i].measured),
                        info.get(details.run.records[i].measured),
                        1e-9 * std::abs(info.get(raw.run.records[i].measured)))
                << info.name;
        }
    }
}

TEST(NcuValidation, EveryLaunchIsListedAndNoneDropped) {
    NcuReport report = read_ncu_report(ncu_fixture("sdpa_flash_bwd.raw.csv"));
    NcuKernel mystery = report.kernels.front();
    mystery.id = 9999;
    mystery.name = "void mystery_kernel<int>(float *)";
    report.kernels.push_back(mystery);
    const NcuValidation v = validate_ncu_report(report, kernel_rules(""), options(Pass::bwd));
    ASSERT_EQ(v.launches.size(), report.kernels.size());
    EXPECT_EQ(v.launches.back().fate, LaunchFate::unmatched);
    std::set<std::string> roles;
    for (const auto& r : v.run.records) {
        roles.insert(r.key.kernel);
        EXPECT_EQ(r.key.problem.pass, Pass::bwd);
        EXPECT_EQ(r.key.tile,
                  v.run.records.front().key.tile);  // every backward kernel names the same traits
    }
    EXPECT_EQ(roles, (std::set<std::string>{"flash2_bwd_preprocess", "flash2_bwd",
                                            "flash2_bwd_convert_dq"}));
    EXPECT_TRUE(v.simulated_only.empty());
    const std::string table = format_ncu_launches(v, report);
    EXPECT_NE(table.find("mystery_kernel"), std::string::npos) << table;
    EXPECT_NE(table.find("unmatched"), std::string::npos) << table;
}

TEST(NcuValidation, EagerScaleIsComparedOnlyInEagerMode) {
    NcuValidationOptions o = options();
    const NcuValidation plain = validated("eager_fwd.details.csv", o);
    const auto scale = std::find_if(plain.launches.begin(), plain.launches.end(),
                                    [](const NcuLaunch& l) { return l.rule == "eager-scale"; });
    ASSERT_NE(scale, plain.launches.end());
    EXPECT_EQ(scale->fate, LaunchFate::no_counterpart);
    EXPECT_NE(scale->note.find("--naive-eager"), std::string::npos);
    o.naive_eager = true;
    const NcuValidation eager = validated("eager_fwd.details.csv", o);
    std::vector<std::string> kernels;
    for (const auto& r : eager.run.records) kernels.push_back(r.key.kernel);
    EXPECT_EQ(kernels,
              (std::vector<std::string>{"naive_qk", "naive_scale", "naive_softmax", "naive_pv"}));
}

TEST(NcuValidation, LaunchesOfAlgorithmsNotAskedForStayListed) {
    NcuValidationOptions o = options();
    o.algorithms = {Algorithm::flash2};
    const NcuValidation v = validated("eager_fwd.details.csv", o);
    EXPECT_TRUE(v.run.records.empty());
    const auto other = std::count_if(v.launches.begin(), v.launches.end(), [](const NcuLaunch& l) {
        return l.fate == LaunchFate::other_algorithm;
    });
    EXPECT_GE(other, 3);  // the GEMMs and the softmax are naive's
}

TEST(NcuValidation, EveryFixtureIsReadAndComparedWithItsPass) {
    for (const auto& entry : std::filesystem::directory_iterator(ncu_fixture(""))) {
        const std::string name = entry.path().filename().string();
        if (entry.path().extension() != ".csv") continue;
        NcuValidationOptions o =
            options(name.find("_bwd") != std::string::npos ? Pass::bwd : Pass::fwd);
        o.naive_eager = name.starts_with("eager");
        const NcuValidation v = validated(name, o);
        EXPECT_FALSE(v.run.records.empty())
            << name << "\n"
            << format_ncu_launches(v, read_ncu_report(entry.path()));
        for (const auto& r : v.run.records)
            EXPECT_TRUE(r.is_measured("time_s")) << name << " " << r.key.kernel;
    }
}

TEST(NcuValidation, TheGpuComesFromTheReportOrMustBeGiven) {
    NcuReport report = read_ncu_report(ncu_fixture("sdpa_flash_fwd.raw.csv"));
    report.kernels[0].texts.clear();
    EXPECT_THROW(validate_ncu_report(report, kernel_rules(""), options()), ConfigError);
    NcuValidationOptions o = options();
    o.gpu = "h100-sxm5";
    EXPECT_EQ(validate_ncu_report(report, kernel_rules(""), o).run.gpu_preset, "h100-sxm5");
}

TEST(NcuValidation, ATileTheSimulatorRejectsNamesTheLaunch) {
    NcuValidationOptions o = options();
    o.tile.block_m = 512;
    try {
        validated("sdpa_flash_fwd.raw.csv", o);
        FAIL() << "no error";
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("launch ID 0"), std::string::npos) << e.what();
    }
}

TEST(NcuValidation, TheRunWritesAndReadsBackAsAValidationFile) {
    const NcuValidation v = validated("sdpa_flash_bwd.raw.csv", options(Pass::bwd));
    const std::string path = ::testing::TempDir() + "ncu_validation_roundtrip.json";
    write_validation(path, v.run, FileFormat::json);
    const ValidationRun back = read_validation(path);
    std::filesystem::remove(path);
    ASSERT_EQ(back.records.size(), v.run.records.size());
    for (std::size_t i = 0; i < back.records.size(); ++i) {
        EXPECT_EQ(to_string(back.records[i].key), to_string(v.run.records[i].key));
        EXPECT_EQ(back.records[i].measured_fields, v.run.records[i].measured_fields);
    }
    EXPECT_EQ(back.suite, v.run.suite);
}

TEST(ValidationTrace, MeasuredAndPredictedTracksAddUpToTheRecordTimes) {
    NcuValidationOptions o = options();
    o.naive_eager = true;
    const NcuValidation v = validated("eager_fwd.details.csv", o);
    const auto events =
        boost::json::parse(validation_chrome_trace(v.run)).at("traceEvents").as_array();
    double measured = 0, predicted = 0, want_measured = 0, want_predicted = 0;
    int slices = 0;
    for (const auto& e : events) {
        if (e.at("ph") != "X") continue;
        ++slices;
        EXPECT_EQ(e.at("pid").as_int64(), 1);  // one configuration
        const double dur = e.at("dur").to_number<double>() * 1e-6;
        (e.at("tid").as_int64() == k_trace_measured_tid ? measured : predicted) += dur;
    }
    for (const auto& r : v.run.records)
        want_measured += r.measured.time_s, want_predicted += r.predicted.time_s;
    EXPECT_EQ(slices, 2 * int(v.run.records.size()));
    EXPECT_NEAR(measured, want_measured, 1e-12);
    EXPECT_NEAR(predicted, want_predicted, 1e-12);
}
