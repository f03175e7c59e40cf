// Reading `ncu --csv` reports: both pages, ncu's own lines before the table, thousands separators,
// units scaled to base units, and one-line errors that name the file and the line.
#include "flashscope/validate/ncu_report.hpp"

#include <gtest/gtest.h>

#include "flashscope/core/error.hpp"
#include "ncu_test_support.hpp"

using namespace flashscope;
using namespace flashscope::validate;

TEST(NcuReport, RawPageSkipsProfilerLinesAndReadsThousandsSeparators) {
    const NcuReport r = read_ncu_report(ncu_fixture("sdpa_flash_fwd.raw.csv"));
    EXPECT_EQ(r.page, NcuPage::raw);
    ASSERT_EQ(r.kernels.size(), 1u);
    const NcuKernel& k = r.kernels[0];
    EXPECT_EQ(k.id, 0);
    EXPECT_TRUE(k.name.starts_with(
        "void pytorch_flash::flash_fwd_kernel<Flash_fwd_kernel_traits<128, 128, 64, 4,"))
        << k.name;  // commas inside the quoted name stay in it
    EXPECT_EQ(k.compute_capability, "9.0");
    EXPECT_EQ(k.texts.at("device__attribute_display_name"), "NVIDIA H200");
    EXPECT_DOUBLE_EQ(k.metrics.at("dram__bytes_read.sum").value, 6422528.0);   // "6,422,528" byte
    EXPECT_DOUBLE_EQ(k.metrics.at("gpu__time_duration.sum").value, 31232e-9);  // "31,232" nsecond
    EXPECT_DOUBLE_EQ(k.metrics.at("sm__cycles_elapsed.avg.per_second").value, 1.755e9);
    EXPECT_DOUBLE_EQ(k.metrics.at("sm__throughput.avg.pct_of_peak_sustained_elapsed").value, 61.27);
    EXPECT_EQ(k.unread_units.at("launch__registers_per_thread"),
              "register/thread");  // extra metric, kept apart
}

TEST(NcuReport, DetailsPageGivesTheSameKernelsAsTheRawPage) {
    const NcuReport raw = read_ncu_report(ncu_fixture("sdpa_flash_fwd.raw.csv"));
    const NcuReport details = read_ncu_report(ncu_fixture("sdpa_flash_fwd.details.csv"));
    EXPECT_EQ(details.page, NcuPage::details);
    ASSERT_EQ(details.kernels.size(), raw.kernels.size());
    const NcuKernel &a = raw.kernels[0], &b = details.kernels[0];
    EXPECT_EQ(a.name, b.name);
    EXPECT_EQ(a.texts, b.texts);
    ASSERT_EQ(a.metrics.size(), b.metrics.size());
    for (const auto& [name, value] : a.metrics)
        EXPECT_DOUBLE_EQ(b.metrics.at(name).value, value.value) << name;
}

TEST(NcuReport, DetailsRowsOfOneLaunchFormOneKernelInLaunchOrder) {
    const NcuReport r = read_ncu_report(ncu_fixture("eager_fwd.details.csv"));
    ASSERT_EQ(r.kernels.size(), 4u);
    for (std::size_t i = 0; i < r.kernels.size(); ++i) EXPECT_EQ(r.kernels[i].id, std::int64_t(i));
    EXPECT_EQ(short_kernel_name(r.kernels[2].name), "(anonymous namespace)::softmax_warp_forward");
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
