#include "flashscope/profiler/counter_conversion.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "flashscope/profiler/counter_names.hpp"
#include "flashscope/profiler/metric_group.hpp"

using namespace flashscope::profiler;
namespace c = flashscope::profiler::counters;

namespace {

CounterValues sample() {
    return {
        {std::string(c::dram_read_bytes), 1000.0},     {std::string(c::dram_write_bytes), 500.4},
        {std::string(c::l2_tex_read_sectors), 10.0},   {std::string(c::l2_tex_write_sectors), 3.0},
        {std::string(c::shared_ld_wavefronts), 7.0},   {std::string(c::shared_st_wavefronts), 2.0},
        {std::string(c::cp_async_bytes_cached), 64.0}, {std::string(c::tma_load_bytes), 0.0},
        {std::string(c::tensor_hmma_inst), 5.0},       {std::string(c::tensor_gmma_inst), 0.0},
        {std::string(c::duration_ns), 2500.0},         {std::string(c::sm_cycles_max), 4000.0},
        {std::string(c::sm_clock_hz), 1.98e9},
    };
}

}  // namespace

TEST(CounterConversion, SectorsAreThirtyTwoBytesAndWavefrontsOneHundredTwentyEight) {
    const auto m = metrics_from_counters(sample());
    EXPECT_EQ(m.hbm_read_bytes, 1000);
    EXPECT_EQ(m.hbm_write_bytes, 500);
    EXPECT_EQ(m.l2_read_bytes, 320);
    EXPECT_EQ(m.l2_write_bytes, 96);
    EXPECT_EQ(m.sram_read_bytes, 7 * 128);
    EXPECT_EQ(m.sram_write_bytes, 2 * 128 + 64);  // stores plus cp.async fills
    EXPECT_DOUBLE_EQ(m.flops_matmul, 5 * 4096.0);
    EXPECT_DOUBLE_EQ(m.time_s, 2.5e-6);
    EXPECT_DOUBLE_EQ(m.cycles, 4000.0);
    EXPECT_DOUBLE_EQ(sm_clock_hz(sample()), 1.98e9);
}

TEST(CounterConversion, L2ReadsAreWhatTheSmsReceivedWhenThatCounterIsThere) {
    auto v = sample();
    v[std::string(c::l1tex_received_read_sectors)] = 11.0;  // the L2-side count says 10
    EXPECT_EQ(metrics_from_counters(v).l2_read_bytes, 11 * 32);
    v[std::string(c::l2_tex_atom_sectors)] = 4.0;  // their returned values crossed too
    EXPECT_EQ(metrics_from_counters(v).l2_read_bytes, 7 * 32);
    v.erase(std::string(c::l2_tex_read_sectors));
    const auto fields = measured_fields(v);
    EXPECT_EQ(std::count(fields.begin(), fields.end(), "l2_read_bytes"), 1);
}

TEST(CounterConversion, WarpgroupMmaMakesMatmulFlopsUnmeasured) {
    auto v = sample();
    v[std::string(c::tensor_gmma_inst)] = 12.0;
    const auto m = metrics_from_counters(v);
    EXPECT_EQ(m.flops_matmul, 0.0);
    const auto fields = measured_fields(v);
    EXPECT_EQ(std::count(fields.begin(), fields.end(), "flops_matmul"), 0);
}

TEST(CounterConversion, MeasuredFieldsFollowTheCountersPresent) {
    CounterValues v = {{std::string(c::dram_read_bytes), 1.0}, {std::string(c::duration_ns), 1.0}};
    EXPECT_EQ(measured_fields(v), (std::vector<std::string>{"hbm_read_bytes", "time_s"}));
    const auto all = measured_fields(sample());
    EXPECT_EQ(all.size(), 10u);  // the 9 of the default groups' counters, and inst_tensor
}

TEST(CounterConversion, InstructionCountersAreMeasuredOnlyWhenPresent) {
    auto v = sample();
    EXPECT_FALSE(metrics_from_counters(v).inst_fp32.has_value());
    EXPECT_DOUBLE_EQ(metrics_from_counters(v).inst_tensor.value_or(0), 5.0);  // HMMA instructions
    for (const auto& name : instruction_metric_group().counters) v[name] = 7.0;
    v[std::string(c::local_load_bytes)] = 256.0;
    const auto m = metrics_from_counters(v);
    EXPECT_DOUBLE_EQ(m.inst_fp32.value_or(0), 7.0);
    EXPECT_DOUBLE_EQ(m.inst_xu.value_or(0), 7.0);
    EXPECT_DOUBLE_EQ(m.inst_total.value_or(0), 7.0);
    EXPECT_DOUBLE_EQ(m.local_load_bytes.value_or(0), 256.0);
    const auto fields = measured_fields(v);
    for (const char* f :
         {"inst_tensor", "inst_fp32", "inst_alu", "inst_xu", "inst_lsu", "inst_ldsm",
          "inst_shuffle", "inst_total", "local_load_bytes", "local_store_bytes"}) {
        EXPECT_NE(std::find(fields.begin(), fields.end(), f), fields.end()) << f;
        EXPECT_TRUE(flashscope::find_metric(f).has_value()) << f;
    }
}

TEST(CounterConversion, MissingCountersGiveZeroNotGarbage) {
    const auto m = metrics_from_counters({});
    EXPECT_EQ(m.hbm_read_bytes, 0);
    EXPECT_EQ(m.sram_write_bytes, 0);
    EXPECT_EQ(sm_clock_hz({}), 0.0);
    EXPECT_FALSE(find_counter({}, "dram__bytes_read.sum").has_value());
}

TEST(CounterConversion, WriteBackAfterTheRangeIsAddedToHbmWrites) {
    auto v = sample();
    v[std::string(c::l2_writeback_after)] = 24.0;
    EXPECT_EQ(metrics_from_counters(v).hbm_write_bytes, 524);
}

TEST(CounterConversion, TensorOpCountersTakePrecedenceOverInstructionCounts) {
    auto v = sample();
    v[std::string(c::tensor_ops_bf16)] = 1000.0;
    v[std::string(c::tensor_ops_fp16)] = 24.0;
    v[std::string(c::tensor_gmma_inst)] = 3.0;  // warpgroup MMA is covered by the op counters
    EXPECT_DOUBLE_EQ(metrics_from_counters(v).flops_matmul, 1024.0);
    const auto fields = measured_fields(v);
    EXPECT_EQ(std::count(fields.begin(), fields.end(), "flops_matmul"), 1);
}

TEST(CounterConversion, ReductionsAndAtomicsAreL2WritesAndWgmmaOperandsSharedReads) {
    auto v = sample();
    v[std::string(c::l2_tex_red_sectors)] = 4.0;
    v[std::string(c::l2_tex_atom_sectors)] = 1.0;
    v[std::string(c::shared_gmma_bytes)] = 1000.0;
    const auto m = metrics_from_counters(v);
    EXPECT_EQ(m.l2_write_bytes, (3 + 4 + 1) * 32);
    EXPECT_EQ(m.sram_read_bytes, 7 * 128 + 1000);
}
