#include "flashscope/sweep/shard.hpp"

#include <gtest/gtest.h>

#include <map>

#include "flashscope/core/error.hpp"

namespace flashscope::sweep {
namespace {

TEST(Shard, ParsesIndexOfCount) {
    EXPECT_EQ(parse_shard("2/4"), (Shard{2, 4}));
    EXPECT_EQ(parse_shard("0/1"), (Shard{0, 1}));
    for (const char* bad : {"4/4", "1/0", "x/4", "1", "-1/4", "1/4/2", ""})
        EXPECT_THROW(parse_shard(bad), ConfigError) << bad;
}

TEST(Shard, InterleavedShardsCoverEveryIndexOnce) {
    std::map<std::int64_t, int> hits;
    for (std::int64_t i = 0; i < 3; ++i)
        for (std::int64_t index : shard_indices(10, Shard{i, 3})) {
            ++hits[index];
            EXPECT_EQ(index % 3, i);
        }
    ASSERT_EQ(hits.size(), 10u);
    for (const auto& [index, n] : hits) EXPECT_EQ(n, 1) << index;
    EXPECT_EQ(shard_indices(10, Shard{1, 3}), (std::vector<std::int64_t>{1, 4, 7}));
}

TEST(Shard, SlurmArrayVariablesGiveTheShard) {
    std::map<std::string, std::string> env;
    const EnvLookup lookup = [&](const char* name) -> const char* {
        auto it = env.find(name);
        return it == env.end() ? nullptr : it->second.c_str();
    };
    EXPECT_FALSE(shard_from_environment(lookup).has_value());
    env = {{"SLURM_ARRAY_TASK_ID", "3"}, {"SLURM_ARRAY_TASK_COUNT", "4"}};
    EXPECT_EQ(shard_from_environment(lookup), (Shard{3, 4}));
    env["SLURM_ARRAY_TASK_MIN"] = "1";  // --array=1-4
    EXPECT_EQ(shard_from_environment(lookup), (Shard{2, 4}));
    env["SLURM_ARRAY_TASK_ID"] = "5";
    EXPECT_THROW(shard_from_environment(lookup), ConfigError);
    env = {{"SLURM_ARRAY_TASK_ID", "1"}};
    EXPECT_THROW(shard_from_environment(lookup), ConfigError);
}

TEST(Shard, OnlyAutoOrIOfNShards) {
    std::map<std::string, std::string> env;
    const EnvLookup lookup = [&](const char* name) -> const char* {
        auto it = env.find(name);
        return it == env.end() ? nullptr : it->second.c_str();
    };
    EXPECT_EQ(choose_shard("", lookup).shard, (Shard{0, 1}));
    EXPECT_EQ(choose_shard("", lookup).note, "");
    EXPECT_EQ(choose_shard("auto", lookup).shard, (Shard{0, 1}));
    EXPECT_NE(choose_shard("auto", lookup).note.find("outside a Slurm job array"),
              std::string::npos);
    EXPECT_EQ(choose_shard("1/3", lookup).shard, (Shard{1, 3}));

    env = {{"SLURM_ARRAY_TASK_ID", "3"}, {"SLURM_ARRAY_TASK_COUNT", "4"}};
    EXPECT_EQ(choose_shard("auto", lookup).shard, (Shard{3, 4}));
    EXPECT_EQ(choose_shard("auto", lookup).note, "");
    EXPECT_EQ(choose_shard("1/3", lookup).shard, (Shard{1, 3}));  // an explicit shard wins
    const ShardChoice unasked = choose_shard("", lookup);
    EXPECT_EQ(unasked.shard, (Shard{0, 1}));  // inside an array, but not asked to shard
    EXPECT_NE(unasked.note.find("array task 3 but --shard is not given"), std::string::npos)
        << unasked.note;
    EXPECT_THROW(choose_shard("auto4", lookup), ConfigError);
}

}  // namespace
}  // namespace flashscope::sweep
