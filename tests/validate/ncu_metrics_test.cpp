// Nsight Compute counters -> result fields, by docs/COUNTERS.md's table: the conversions, the
// metric list for `ncu --metrics`, and what happens when a metric is missing or in the wrong unit.
#include "flashscope/validate/ncu_metrics.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "flashscope/core/error.hpp"
#include "ncu_test_support.hpp"

using namespace flashscope;
using namespace flashscope::validate;

namespace {

// The first launch of a fixture whose name holds `part`.
NcuKernel kernel_of(const std::string& fixture, const std::string& part) {
    for (const auto& k : read_ncu_report(ncu_fixture(fixture)).kernels)
        if (k.name.find(part) != std::string::npos) return k;
    ADD_FAILURE() << "no " << part << " in " << fixture;
    return {};
}

double v(const NcuKernel& k, const std::string& metric) {
    return k.metrics.at(metric).value;
}

}  // namespace

TEST(NcuMetrics, FieldsAreTheCountersConvertedAsCountersMdSays) {
    const NcuKernel k =
        kernel_of("sdpa_flash_bwd.raw.csv", "flash_bwd_dq_dk_dv");  // reduces into dQ
    const NcuMeasurement m = measure_ncu_kernel(k, "bwd.csv");
    EXPECT_EQ(m.metrics.hbm_read_bytes, std::int64_t(v(k, "dram__bytes_read.sum")));
    EXPECT_EQ(m.metrics.hbm_write_bytes, std::int64_t(v(k, "dram__bytes_write.sum")));
    EXPECT_EQ(m.metrics.l2_read_bytes,
              std::int64_t(v(k, "lts__t_sectors_srcunit_tex_op_read.sum") * 32));
    ASSERT_GT(v(k, "lts__t_sectors_srcunit_tex_op_red.sum"), 0.0);
    EXPECT_EQ(m.metrics.l2_write_bytes,
              std::int64_t((v(k, "lts__t_sectors_srcunit_tex_op_write.sum") +
                            v(k, "lts__t_sectors_srcunit_tex_op_red.sum") +
                            v(k, "lts__t_sectors_srcunit_tex_op_atom.sum")) *
                           32));
    EXPECT_EQ(m.metrics.sram_read_bytes,
              std::int64_t(v(k, "l1tex__data_pipe_lsu_wavefronts_mem_shared_op_ld.sum") * 128 +
                           v(k, "sm__sass_data_bytes_mem_shared_op_gmma.sum")));
    EXPECT_EQ(
        m.metrics.sram_write_bytes,
        std::int64_t(v(k, "l1tex__data_pipe_lsu_wavefronts_mem_shared_op_st.sum") * 128 +
                     v(k, "l1tex__m_xbar2l1tex_read_bytes_mem_global_op_ldgsts_cache_access.sum") +
                     v(k, "l1tex__m_xbar2l1tex_read_bytes_mem_global_op_tma_ld.sum")));
    EXPECT_DOUBLE_EQ(m.metrics.flops_matmul, v(k, "sm__ops_path_tensor_src_bf16_dst_fp32.sum") +
                                                 v(k, "sm__ops_path_tensor_src_fp16.sum"));
    EXPECT_DOUBLE_EQ(m.metrics.time_s, v(k, "gpu__time_duration.sum"));
    EXPECT_DOUBLE_EQ(m.metrics.cycles,
                     m.metrics.time_s * v(k, "sm__cycles_elapsed.avg.per_second"));
    EXPECT_EQ(m.fields,
              (std::set<std::string>{"hbm_read_bytes", "hbm_write_bytes", "l2_read_bytes",
                                     "l2_write_bytes", "sram_read_bytes", "sram_write_bytes",
                                     "flops_matmul", "time_s", "cycles"}));
    EXPECT_TRUE(m.missing.empty());
}

TEST(NcuMetrics, AFieldLackingAMetricIsNotMeasuredAndNamesIt) {
    NcuKernel k = kernel_of("sdpa_flash_fwd.raw.csv", "flash_fwd_kernel");
    k.metrics.erase("sm__sass_data_bytes_mem_shared_op_gmma.sum");
    const NcuMeasurement hopper = measure_ncu_kernel(k, "f.csv");
    EXPECT_FALSE(hopper.fields.count("sram_read_bytes"));
    EXPECT_EQ(hopper.missing.at("sram_read_bytes"),
              std::vector<std::string>{"sm__sass_data_bytes_mem_shared_op_gmma.sum"});
    // Below compute capability 9.0 there is no wgmma: the field needs only the LSU wavefronts.
    k.compute_capability = "8.0";
    EXPECT_TRUE(measure_ncu_kernel(k, "f.csv").fields.count("sram_read_bytes"));
}

TEST(NcuMetrics, AKernelWithoutItsDurationIsRefusedNamingTheMetric) {
    NcuKernel k = kernel_of("sdpa_flash_fwd.raw.csv", "flash_fwd_kernel");
    k.metrics.erase("gpu__time_duration.sum");
    try {
        measure_ncu_kernel(k, "f.csv");
        FAIL() << "no error";
    } catch (const ConfigError& e) {
        EXPECT_NE(std::string(e.what()).find("gpu__time_duration.sum"), std::string::npos)
            << e.what();
        EXPECT_NE(std::string(e.what()).find("f.csv:"), std::string::npos) << e.what();
    }
}

TEST(NcuMetrics, AMetricInAUnitOfAnotherKindIsRefused) {
    NcuKernel k = kernel_of("sdpa_flash_fwd.raw.csv", "flash_fwd_kernel");
    k.metrics.at("dram__bytes_read.sum").unit = "nsecond";
    EXPECT_THROW(measure_ncu_kernel(k, "f.csv"), ConfigError);
    k = kernel_of("sdpa_flash_fwd.raw.csv", "flash_fwd_kernel");
    k.metrics.erase("dram__bytes_write.sum");
    k.unread_units["dram__bytes_write.sum"] = "KiB";
    EXPECT_THROW(measure_ncu_kernel(k, "f.csv"), ConfigError);
}

TEST(NcuMetrics, TheMetricListHoldsEveryCounterOfEveryFieldOnce) {
    for (const std::string cc : {"9.0", "8.0"}) {
        const auto list = ncu_metric_list(cc);
        EXPECT_EQ(std::set<std::string>(list.begin(), list.end()).size(), list.size());
        for (const auto& [field, metrics] : ncu_field_metrics(cc))
            for (const auto& m : metrics)
                EXPECT_NE(std::find(list.begin(), list.end(), m), list.end()) << m;
        for (const auto& m : ncu_required_metrics())
            EXPECT_NE(std::find(list.begin(), list.end(), m), list.end());
        const bool has_tma =
            std::find(list.begin(), list.end(),
                      "l1tex__m_xbar2l1tex_read_bytes_mem_global_op_tma_ld.sum") != list.end();
        EXPECT_EQ(has_tma, cc == "9.0");
    }
}
