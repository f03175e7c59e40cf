// Reading `ncu --csv` reports: both pages, ncu's own lines before the table, thousands separators,
// units scaled to base units, and one-line errors that name the file and the line.
#include "flashscope/validate/ncu_report.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "flashscope/core/error.hpp"
#include "flashscope/validate/ncu_metrics.hpp"
#include "ncu_test_support.hpp"

using namespace flashscope;
using namespace flashscope::validate;

TEST(NcuReport, RawPageGivesOneKernelPerLaunchWithEveryMetricOfTheList) {
    const NcuReport r = read_ncu_report(ncu_fixture("sdpa_flash_fwd.raw.csv"));
    EXPECT_EQ(r.page, NcuPage::raw);
    ASSERT_FALSE(r.kernels.empty());
    const NcuKernel& k = r.kernels[0];
    // Commas inside the quoted name (template arguments) stay in it.
    EXPECT_TRUE(k.name.starts_with("void pytorch_flash::flash_fwd_kernel<Flash_fwd_kernel_traits<"))
        << k.name;
    EXPECT_NE(k.name.find(", "), std::string::npos);
    EXPECT_EQ(k.compute_capability, "9.0");
    EXPECT_NE(k.texts.at("device__attribute_display_name").find("H200"), std::string::npos);
    for (const auto& metric : ncu_metric_list("9.0")) {
        if (metric != "device__attribute_display_name") {
            EXPECT_TRUE(k.metrics.count(metric)) << metric;
        }
    }
    EXPECT_GT(k.metrics.at("dram__bytes_read.sum").value, 1e6);  // Q, K and V: 6 MiB
    EXPECT_GT(k.metrics.at("gpu__time_duration.sum").value, 1e-6);
    EXPECT_LT(k.metrics.at("gpu__time_duration.sum").value, 1e-2);  // in seconds, not nanoseconds
    // The report holds metrics flashscope does not read; they are kept apart, not refused.
    const auto list = ncu_metric_list("9.0");
    std::size_t extra = k.unread_units.size();
    for (const auto& [name, value] : k.metrics)
        if (std::find(list.begin(), list.end(), name) == list.end()) ++extra;
    EXPECT_GT(extra, 0u);
}

TEST(NcuReport, DetailsPageGivesTheSameKernelsAsTheRawPage) {
    const NcuReport raw = read_ncu_report(ncu_fixture("sdpa_flash_fwd.raw.csv"));
    const NcuReport details = read_ncu_report(ncu_fixture("sdpa_flash_fwd.details.csv"));
    EXPECT_EQ(details.page, NcuPage::details);
    ASSERT_EQ(details.kernels.size(), raw.kernels.size());
    for (std::size_t i = 0; i < raw.kernels.size(); ++i) {
        const NcuKernel &a = raw.kernels[i], &b = details.kernels[i];
        EXPECT_EQ(a.id, b.id);
        EXPECT_EQ(a.name, b.name);
        EXPECT_EQ(a.texts, b.texts);
        for (const auto& [name, value] : a.metrics) {
            ASSERT_TRUE(b.metrics.count(name)) << name;
            EXPECT_NEAR(b.metrics.at(name).value, value.value, 1e-9 * std::abs(value.value))
                << name;
        }
    }
}

TEST(NcuReport, DetailsRowsOfOneLaunchFormOneKernelInLaunchOrder) {
    const NcuReport r = read_ncu_report(ncu_fixture("eager_fwd.details.csv"));
    ASSERT_GE(r.kernels.size(), 3u);  // two GEMMs and a softmax at least
    for (std::size_t i = 1; i < r.kernels.size(); ++i)
        EXPECT_LT(r.kernels[i - 1].id, r.kernels[i].id);
    const bool softmax = std::any_of(r.kernels.begin(), r.kernels.end(), [](const NcuKernel& k) {
        return short_kernel_name(k.name).find("oftmax") != std::string::npos;
    });
    EXPECT_TRUE(softmax);
}

TEST(NcuReport, ReadsThousandsSeparatorsAndSkipsNcusOwnLines) {
    const std::string text =
        "==PROF== Connected to process 7 (/usr/bin/python3)\n"
        "some output of the program, 1, 2\n"
        "\"ID\",\"Kernel Name\",\"dram__bytes_read.sum\",\"device__attribute_display_name\"\n"
        "\"\",\"\",\"byte\",\"\"\n"
        "==PROF== Disconnected from process 7\n"
        "\"12\",\"void k<1, 2>(int)\",\"1,048,576\",\"NVIDIA H200\"\n";
    const NcuReport r = parse_ncu_csv(text, "t.csv");
    ASSERT_EQ(r.kernels.size(), 1u);
    EXPECT_EQ(r.kernels[0].id, 12);
    EXPECT_EQ(r.kernels[0].name, "void k<1, 2>(int)");
    EXPECT_DOUBLE_EQ(r.kernels[0].metrics.at("dram__bytes_read.sum").value, 1048576.0);
    EXPECT_EQ(r.kernels[0].texts.at("device__attribute_display_name"), "NVIDIA H200");
}

TEST(NcuReport, ScalesAutomaticUnitsToBaseUnits) {
    const std::string text =
        "\"ID\",\"Kernel Name\",\"Metric Name\",\"Metric Unit\",\"Metric Value\"\n"
        "\"3\",\"k\",\"dram__bytes_read.sum\",\"Mbyte\",\"4.19\"\n"
        "\"3\",\"k\",\"gpu__time_duration.sum\",\"usecond\",\"1,012.50\"\n"
        "\"3\",\"k\",\"sm__cycles_elapsed.avg.per_second\",\"cycle/nsecond\",\"1.98\"\n"
        "\"3\",\"k\",\"lts__t_sectors_srcunit_tex_op_read.sum\",\"Ksector\",\"12.5\"\n"
        "\"3\",\"k\",\"dram__bytes_write.sum\",\"KiB\",\"2\"\n"
        "\"3\",\"k\",\"sm__pipe_tensor_cycles_active.sum\",\"\",\"n/a\"\n";
    const NcuKernel k = parse_ncu_csv(text, "t.csv").kernels.at(0);
    EXPECT_DOUBLE_EQ(k.metrics.at("dram__bytes_read.sum").value, 4.19e6);
    EXPECT_DOUBLE_EQ(k.metrics.at("gpu__time_duration.sum").value, 1012.5e-6);
    EXPECT_DOUBLE_EQ(k.metrics.at("sm__cycles_elapsed.avg.per_second").value, 1.98e9);
    EXPECT_DOUBLE_EQ(k.metrics.at("lts__t_sectors_srcunit_tex_op_read.sum").value, 12500.0);
    EXPECT_EQ(k.unread_units.count("dram__bytes_write.sum"), 1u);         // KiB is not an ncu unit
    EXPECT_EQ(k.metrics.count("sm__pipe_tensor_cycles_active.sum"), 0u);  // n/a: not measured
}

TEST(NcuReport, ARowOfTheWrongWidthNamesFileAndLine) {
    const std::string text =
        "==PROF== Connected\n\"ID\",\"Kernel Name\",\"dram__bytes_read.sum\"\n"
        "\"\",\"\",\"byte\"\n\"0\",\"k\"\n";
    try {
        parse_ncu_csv(text, "r.csv");
        FAIL() << "no error";
    } catch (const ConfigError& e) {
        EXPECT_EQ(e.value(), "r.csv:4");
        EXPECT_NE(e.limit().find("2 fields under a header of 3"), std::string::npos) << e.what();
    }
}

TEST(NcuReport, TextWithoutTheTableIsRefused) {
    EXPECT_THROW(parse_ncu_csv("==ERROR== ERR_NVGPUCTRPERM - no permission\n", "p.csv"),
                 ConfigError);
    EXPECT_THROW(parse_ncu_csv("\"ID\",\"Name\"\n", "p.csv"),
                 ConfigError);  // no Kernel Name column
    EXPECT_THROW(read_ncu_report("/nonexistent/report.csv"), ConfigError);
}

TEST(NcuReport, ShortNamesDropReturnTypeTemplatesAndParameters) {
    EXPECT_EQ(short_kernel_name("void ns::k<int, (bool)1>(Params, int)"), "ns::k");
    EXPECT_EQ(short_kernel_name(
                  "void at::native::(anonymous namespace)::cunn_SoftMaxForward<4, float>(float *)"),
              "at::native::(anonymous namespace)::cunn_SoftMaxForward");
    EXPECT_EQ(short_kernel_name("nvjet_hsh_128x128_64x4_1x2_h_bz_coopA_NNT"),
              "nvjet_hsh_128x128_64x4_1x2_h_bz_coopA_NNT");
}
