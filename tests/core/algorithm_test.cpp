// The algorithm registry: built-in rows, names, kernel names, and rows added at run time.
#include "flashscope/core/algorithm.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <stdexcept>

#include "flashscope/core/error.hpp"

namespace flashscope {
namespace {

TEST(AlgorithmRegistry, BuiltInsKeepTheirNamesAndOrder) {
    const auto all = all_algorithms();
    ASSERT_GE(all.size(), 3u);
    EXPECT_EQ(all[0], Algorithm::naive);
    EXPECT_EQ(all[1], Algorithm::flash1);
    EXPECT_EQ(all[2], Algorithm::flash2);
    EXPECT_EQ(to_string(Algorithm::flash1), "flash1");
    EXPECT_EQ(parse_algorithm("flash2"), Algorithm::flash2);
    EXPECT_EQ(Algorithm{}, Algorithm::naive);
    std::ostringstream out;
    out << Algorithm::naive;
    EXPECT_EQ(out.str(), "naive");
}

TEST(AlgorithmRegistry, ParseErrorListsEveryRegisteredName) {
    try {
        parse_algorithm("flash9");
        FAIL() << "flash9 parsed";
    } catch (const ConfigError& e) {
        EXPECT_EQ(e.field(), "algo");
        EXPECT_EQ(e.value(), "flash9");
        std::string names;
        for (Algorithm a : all_algorithms())
            names += (names.empty() ? "" : ", ") + std::string(to_string(a));
        EXPECT_EQ(e.limit(), "must be one of " + names);
    }
}

TEST(AlgorithmRegistry, KernelNamesComeFromTheDescriptorRoles) {
    EXPECT_EQ(kernel_name(Algorithm::flash2, "bwd_preprocess"), "flash2_bwd_preprocess");
    EXPECT_EQ(kernel_name(Algorithm::naive, "softmax_bwd"), "naive_softmax_bwd");
    EXPECT_THROW(kernel_name(Algorithm::flash1, "bwd_preprocess"), std::logic_error);
    EXPECT_EQ(kernel_names(Algorithm::flash1, Pass::fwd), (std::vector<std::string>{"flash1_fwd"}));
    EXPECT_EQ(kernel_names(Algorithm::flash2, Pass::fwdbwd),
              (std::vector<std::string>{"flash2_fwd", "flash2_bwd_preprocess", "flash2_bwd",
                                        "flash2_bwd_convert_dq", "flash2_bwd_dkv_reduce"}));
}

TEST(AlgorithmRegistry, PassesSplitIntoSimulatedAndMeasured) {
    EXPECT_TRUE(descriptor(Algorithm::flash1).simulates(Pass::fwdbwd));
    EXPECT_TRUE(descriptor(Algorithm::flash1).measures(Pass::fwd));
    EXPECT_FALSE(descriptor(Algorithm::flash1).measures(Pass::bwd));
    EXPECT_FALSE(descriptor(Algorithm::flash1).measures(Pass::fwdbwd));
    EXPECT_TRUE(descriptor(Algorithm::flash2).measures(Pass::fwdbwd));
}

TEST(AlgorithmRegistry, RegisteredRowIsFoundByNameAndIndex) {
    const std::size_t before = algorithm_count();
    const Algorithm toy = register_algorithm(
        {"core_test_toy", "a row added by a test", {Pass::fwd}, {}, {{"fwd", Pass::fwd}}});
    EXPECT_EQ(algorithm_count(), before + 1);
    EXPECT_EQ(toy.index(), before);
    EXPECT_EQ(Algorithm::at(before), toy);
    EXPECT_EQ(parse_algorithm("core_test_toy"), toy);
    EXPECT_EQ(kernel_name(toy, "fwd"), "core_test_toy_fwd");
    EXPECT_FALSE(descriptor(toy).simulates(Pass::bwd));
    EXPECT_THROW(Algorithm::at(algorithm_count()), std::out_of_range);
}

TEST(AlgorithmRegistry, RejectsTakenMalformedAndDuplicateRows) {
    EXPECT_THROW(register_algorithm({"flash2", "", {Pass::fwd}, {}, {}}), ConfigError);
    EXPECT_THROW(register_algorithm({"Flash 3", "", {Pass::fwd}, {}, {}}), ConfigError);
    EXPECT_THROW(register_algorithm({"", "", {Pass::fwd}, {}, {}}), ConfigError);
    EXPECT_THROW(register_algorithm(
                     {"twice", "", {Pass::fwd}, {}, {{"fwd", Pass::fwd}, {"fwd", Pass::fwd}}}),
                 ConfigError);
    EXPECT_THROW(register_algorithm({"both", "", {Pass::fwdbwd}, {}, {}}), ConfigError);
    EXPECT_THROW(parse_algorithm("twice"), ConfigError);  // a rejected row is not registered
}

}  // namespace
}  // namespace flashscope
