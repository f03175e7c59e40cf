// The options table is the one list of simulation options: every option, changed from its
// default, survives each way a configuration is written and read back — simulate's flags, a sweep
// file, a GUI session file and the GUI's equivalent command line — and is a CSV and JSON column.
#include <gtest/gtest.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <map>
#include <sstream>

#include "flashscope/sim/result_io.hpp"
#include "flashscope/sim/simulation_options.hpp"
#include "flashscope/sweep/product.hpp"
#include "gui_configuration.hpp"
#include "session_file.hpp"
#include "simulation_flags.hpp"

namespace flashscope::gui {
namespace {

// A value other than the default for every option that is not a shorthand, chosen so that all of
// them hold at once and each is effective on the command line (dropout needs naive eager mode,
// which needs the naive algorithm). An option added to the table without a value here fails.
const std::map<std::string_view, std::string> k_changed = {
    {"gpu", "a100-sxm4-40gb"},  {"model", "analytic"}, {"algo", "naive"},      {"pass", "bwd"},
    {"dtype", "fp16"},          {"causal", "true"},    {"batch", "2"},         {"heads", "32"},
    {"kv_heads", "8"},          {"seq_q", "1024"},     {"seq_k", "2048"},      {"head_dim", "64"},
    {"block_m", "64"},          {"block_n", "32"},     {"warps", "2"},         {"stages", "2"},
    {"softmax_scale", "0.125"}, {"dropout", "0.1"},    {"naive_eager", "true"}};

std::vector<const sim::SimulationOption*> fields() {
    std::vector<const sim::SimulationOption*> out;
    for (const sim::SimulationOption& o : sim::simulation_options())
        if (!o.is_shorthand()) out.push_back(&o);
    return out;
}

sim::SimulationConfig changed_config() {
    sim::SimulationConfig c;
    for (const auto* o : fields()) o->parse(c, k_changed.at(o->key));
    return c;
}

// simulate's flag parser, in-process.
sim::SimulationConfig from_flags(std::vector<std::string> args) {
    CLI::App app;
    const cli::SimulationFlags flags(app);
    std::reverse(args.begin(), args.end());  // CLI11 takes a reversed vector
    app.parse(args);
    const std::vector<sim::SimulationConfig> configs = sim::product_configs(flags.axes());
    EXPECT_EQ(configs.size(), 1u);
    return configs.front();
}

sim::SimulationConfig from_sweep_file(const std::string& yaml) {
    const std::vector<sweep::SweepPoint> points =
        sweep::expand(sweep::parse_sweep_spec(yaml, "round_trip.yaml"));
    EXPECT_EQ(points.size(), 1u);
    return points.front().config;
}

TEST(OptionsTable, EveryOptionHasAChangedValueThatDiffersFromItsDefault) {
    const sim::SimulationConfig defaults, changed = changed_config();
    for (const auto* o : fields()) {
        ASSERT_TRUE(k_changed.contains(o->key))
            << o->key << ": give it a changed value in this test";
        EXPECT_NE(o->text(changed), o->text(defaults)) << o->key;
        EXPECT_EQ(o->text(changed), k_changed.at(o->key)) << o->key;  // the canonical text
    }
    EXPECT_EQ(k_changed.size(), fields().size());
}

TEST(OptionsTable, EveryOptionRoundTripsThroughSimulateFlags) {
    const sim::SimulationConfig changed = changed_config();
    std::vector<std::string> args;
    for (const auto* o : fields()) {
        args.push_back(sim::option_flag(o->key));
        if (o->kind != sim::OptionKind::boolean) args.push_back(o->text(changed));
    }
    EXPECT_EQ(from_flags(args), changed);
}

TEST(OptionsTable, EveryOptionRoundTripsThroughASweepFile) {
    const sim::SimulationConfig changed = changed_config();
    std::string yaml;
    for (const auto* o : fields()) yaml += std::string(o->key) + ": " + o->text(changed) + "\n";
    EXPECT_EQ(from_sweep_file(yaml), changed);
}

TEST(OptionsTable, EveryOptionRoundTripsThroughASessionFile) {
    Session session;
    session.config = changed_config();
    const std::string yaml = session_to_yaml(session);
    for (const auto* o : fields())
        EXPECT_NE(yaml.find(std::string(o->key) + ": "), std::string::npos)
            << o->key << " missing from\n"
            << yaml;
    EXPECT_EQ(session_from_yaml(yaml), session);
}

TEST(OptionsTable, EveryOptionRoundTripsThroughTheEquivalentCommandLine) {
    const sim::SimulationConfig changed = changed_config();
    std::istringstream words(equivalent_cli(changed));
    std::vector<std::string> args;
    for (std::string w; words >> w;) args.push_back(w);
    ASSERT_GE(args.size(), 2u);
    EXPECT_EQ(args[0] + " " + args[1], "flashscope simulate");
    EXPECT_EQ(from_flags({args.begin() + 2, args.end()}), changed);
    // ... and so does the default configuration, with kv_heads following heads.
    sim::SimulationConfig wide;
    wide.problem.heads = wide.problem.kv_heads = 64;
    std::istringstream wide_words(equivalent_cli(wide));
    args.clear();
    for (std::string w; wide_words >> w;) args.push_back(w);
    EXPECT_EQ(from_flags({args.begin() + 2, args.end()}), wide);
}

TEST(OptionsTable, ShorthandsSetTheirFieldsInEveryReader) {
    sim::SimulationConfig expected;
    expected.problem.seq_q = expected.problem.seq_k = 1024;
    expected.tile = {128, 64, 4, 2};
    EXPECT_EQ(from_flags({"--seq", "1024", "--tile", "128x64x4x2", "--algo", "flash2"}), expected);
    EXPECT_EQ(from_sweep_file("seq: 1024\ntile: 128x64x4x2\nalgo: flash2\n"), expected);
    EXPECT_EQ(session_from_yaml("flashscope_session: 2\nseq: 1024\ntile: 128x64x4x2\n").config,
              expected);
}

TEST(OptionsTable, EveryOptionIsACsvAndAJsonColumn) {
    const std::vector<std::string> columns = sim::csv_columns();
    const boost::json::object json = sim::config_to_json(changed_config());
    for (const auto* o : fields()) {
        EXPECT_NE(std::find(columns.begin(), columns.end(), o->key), columns.end()) << o->key;
        EXPECT_TRUE(json.contains(o->key)) << o->key;
    }
    EXPECT_EQ(json.at("dropout").as_double(), 0.1);
    EXPECT_EQ(json.at("kv_heads").as_int64(), 8);
}

}  // namespace
}  // namespace flashscope::gui
