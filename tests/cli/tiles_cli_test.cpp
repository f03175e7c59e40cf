// flashscope tiles as a user runs it, and simulate --tile best.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "process.hpp"
#include "temp_dir.hpp"

namespace {

using flashscope::sweep::test::ProcessResult;
using flashscope::sweep::test::run_flashscope;
using flashscope::sweep::test::TempDir;

// A small problem: the whole ranking takes a fraction of a second.
std::vector<std::string> tiles_args(std::vector<std::string> extra) {
    std::vector<std::string> args = {"tiles", "--gpu", "h100-sxm5", "--batch", "1", "--heads",
                                     "4",     "--seq", "1024",      "--jobs",  "2"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}

boost::json::object tiles_json(std::vector<std::string> extra) {
    extra.insert(extra.end(), {"--format", "json"});
    const ProcessResult r = run_flashscope(tiles_args(extra));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return boost::json::parse(r.out).as_object();
}

TEST(CliTiles, JsonRanksFeasibleTilesByTime) {
    const boost::json::object o = tiles_json({"--top", "0"});
    EXPECT_EQ(o.at("schema").as_string(), "flashscope.tiles/1");
    EXPECT_EQ(o.at("algorithm").as_string(), "flash2");
    const boost::json::array& tiles = o.at("tiles").as_array();
    ASSERT_GE(tiles.size(), 2u);
    EXPECT_EQ(o.at("ranked").as_int64(), std::int64_t(tiles.size()));
    EXPECT_EQ(o.at("candidates").as_int64(),
              o.at("refused").as_int64() + o.at("pruned").as_int64() + o.at("ranked").as_int64());
    double previous = 0;
    for (std::size_t i = 0; i < tiles.size(); ++i) {
        const boost::json::object& t = tiles[i].as_object();
        EXPECT_EQ(t.at("rank").as_int64(), std::int64_t(i + 1));
        const double time = t.at("time_s").to_number<double>();
        EXPECT_GE(time, previous);
        previous = time;
        const std::int64_t bm = t.at("block_m").as_int64(), w = t.at("warps").as_int64();
        EXPECT_EQ(bm % (16 * w), 0) << t.at("tile").as_string();  // whole fragments per warp
        const std::string built(t.at("buildable").as_string());
        EXPECT_TRUE(built == "yes" || built == "no") << built;
        EXPECT_FALSE(t.at("why").as_string().empty());
        EXPECT_FALSE(t.at("bottleneck").as_string().empty());
    }
    const std::string first(tiles[0].at("tile").as_string());
    EXPECT_EQ(std::string(o.at("verdict").as_string()).rfind(first + " beats ", 0), 0u);
}

TEST(CliTiles, TopLimitsRowsAndGivenFieldsStayFixed) {
    const boost::json::object o = tiles_json({"--top", "3", "--block-n", "64"});
    const boost::json::array& tiles = o.at("tiles").as_array();
    ASSERT_EQ(tiles.size(), 3u);
    for (const auto& t : tiles) EXPECT_EQ(t.at("block_n").as_int64(), 64);
}

// With a build's ptxas table the built tile is ranked with ptxas's registers: here one given
// tile, d 64 128x32x4x2, made to spill (255 registers, 400 bytes): slower than its estimate.
TEST(CliTiles, PtxasRegistersRankTheBuiltTiles) {
    const TempDir dir;
    std::ofstream(dir.path("ptxas.json"))
        << R"j({"format": "flashscope ptxas resource usage 1", "kernels": [{"function": )j"
        << R"j("void flashscope::kernels::detail::flash2_fwd_kernel<__nv_bfloat16, 64, 128, 32, 4, 2>(flashscope::kernels::AttentionArgs)", )j"
        << R"j("arch": "sm_90", "registers": 255, "spill_store_bytes": 400}]})j";
    const std::vector<std::string> tile = {
        "--head-dim", "64", "--block-m", "128", "--block-n", "32", "--warps", "4", "--stages", "2"};
    std::vector<std::string> with = tile;
    with.insert(with.end(), {"--ptxas", dir.path("ptxas.json")});
    const double estimated =
        tiles_json(tile).at("tiles").as_array()[0].at("time_s").to_number<double>();
    const double ptxas =
        tiles_json(with).at("tiles").as_array()[0].at("time_s").to_number<double>();
    EXPECT_GT(ptxas, estimated * 1.02);
    // An architecture the table has no kernel for is refused, naming the flag.
    with.insert(with.end(), {"--ptxas-arch", "sm_80"});
    const ProcessResult r = run_flashscope(tiles_args(with));
    EXPECT_NE(r.exit_code, 0);
    EXPECT_EQ(r.err.rfind("flashscope: error: ptxas-arch sm_80: ", 0), 0u) << r.err;
}

TEST(CliTiles, TableAndCsvShowTheSameRanking) {
    const ProcessResult table = run_flashscope(tiles_args({"--top", "5"}));
    ASSERT_EQ(table.exit_code, 0) << table.err;
    EXPECT_NE(table.out.find("candidate tiles"), std::string::npos);
    EXPECT_NE(table.out.find("\nbest: "), std::string::npos);
    const ProcessResult csv = run_flashscope(tiles_args({"--top", "5", "--format", "csv"}));
    ASSERT_EQ(csv.exit_code, 0) << csv.err;
    EXPECT_EQ(csv.out.substr(0, csv.out.find('\n')),
              "rank,tile,block_m,block_n,warps,stages,time_s,bottleneck,buildable,why");
    const std::string first_row = csv.out.substr(csv.out.find('\n') + 1);
    const std::string first_tile = first_row.substr(2, first_row.find(',', 2) - 2);
    EXPECT_NE(table.out.find("   1  " + first_tile + " "), std::string::npos) << table.out;
}

TEST(CliTiles, OutWritesWhatStdoutWouldShow) {
    const TempDir dir;
    const ProcessResult printed = run_flashscope(tiles_args({"--format", "json"}));
    const ProcessResult written = run_flashscope(tiles_args({"-o", dir.path("t.json")}));
    ASSERT_EQ(written.exit_code, 0) << written.err;
    EXPECT_TRUE(written.out.empty());
    EXPECT_EQ(dir.read("t.json"), printed.out);
}

TEST(CliTiles, SimulateTileBestRunsTheFirstRow) {
    const boost::json::object o = tiles_json({"--top", "1"});
    const ProcessResult r =
        run_flashscope({"simulate", "--gpu", "h100-sxm5", "--algo", "flash2", "--batch", "1",
                        "--heads", "4", "--seq", "1024", "--tile", "best", "--format", "csv"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const boost::json::object& best = o.at("tiles").as_array().at(0).as_object();
    const std::string row = r.out.substr(r.out.find('\n') + 1);
    const std::string tile_cells = std::to_string(best.at("block_m").as_int64()) + "," +
                                   std::to_string(best.at("block_n").as_int64()) + "," +
                                   std::to_string(best.at("warps").as_int64()) + "," +
                                   std::to_string(best.at("stages").as_int64()) + ",";
    EXPECT_NE(row.find(tile_cells), std::string::npos) << row;
}

TEST(CliTiles, MisuseIsAOneLineUsageError) {
    for (const auto& extra : std::vector<std::vector<std::string>>{
             {"--tile", "best"}, {"--algo", "flash1", "--algo", "flash2"}, {"--format", "xml"}}) {
        const ProcessResult r = run_flashscope(tiles_args(extra));
        EXPECT_EQ(r.exit_code, 2) << extra[1];
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    }
    // A tile no kernel can be built as: 4 warps cannot share 16 query rows.
    const ProcessResult r = run_flashscope(tiles_args({"--tile", "16x16x4x1"}));
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_NE(r.err.find("no candidate tile runs"), std::string::npos) << r.err;
}

}  // namespace
