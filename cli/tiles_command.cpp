// flashscope tiles: the tile advisor. Every tile the algorithm's kernels could be built as for
// one GPU and problem, ranked by predicted time, with the bottleneck, one line of why, whether
// the CUDA kernels are built for it, and why the fastest wins.
#include <boost/json.hpp>
#include <cstdio>
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "flashscope/core/atomic_file.hpp"
#include "flashscope/core/error.hpp"
#include "flashscope/sim/result_io.hpp"
#include "flashscope/sim/simulation_options.hpp"
#include "flashscope/sim/tile_advisor.hpp"
#include "flashscope/validate/ptxas_registers.hpp"
#include "result_table.hpp"
#include "simulation_flags.hpp"

namespace flashscope::cli {
namespace {

struct TilesCli {
    std::unique_ptr<SimulationFlags> flags;
    std::string format;  // empty: from --out's extension, else table
    std::string out;
    std::int64_t top = 20;
    unsigned jobs = 0;
    std::string ptxas;  // a build's kernels/resource_usage.json
    std::string ptxas_arch = "sm_90";
    CLI::Option* out_flag = nullptr;
};

std::string chosen_format(const TilesCli& o) {
    const std::string format = !o.format.empty()          ? o.format
                               : o.out.ends_with(".json") ? "json"
                               : o.out.ends_with(".csv")  ? "csv"
                                                          : "table";
    if (format != "table" && format != "json" && format != "csv")
        throw ConfigError("format", format, "must be table, json or csv");
    return format;
}

// The one configuration the flags give (tiles ranks one algorithm on one problem).
sim::SimulationConfig the_config(const TilesCli& o) {
    const std::vector<sim::OptionAxis> axes = o.flags->given_axes();
    sim::check_effective(axes, sim::option_flag);
    const std::vector<sim::SimulationConfig> configs = sim::product_configs(axes);
    if (configs.size() != 1)
        throw ConfigError("algo", std::string(to_string(configs[1].algorithm)),
                          "tiles ranks one algorithm at a time");
    if (configs.front().tile_best)
        throw ConfigError("tile", "best",
                          "tiles ranks every tile; fix fields with --block-m, --block-n, "
                          "--warps or --stages instead");
    return configs.front();
}

std::string problem_line(const sim::Result& r) {
    const AttentionProblem& p = r.problem;
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "%s on %s, %s, batch %lld x heads %lld (kv %lld), seq %lld x %lld, d %lld, %s%s; "
                  "%s model",
                  std::string(to_string(r.algorithm)).c_str(), r.gpu.c_str(),
                  std::string(to_string(p.pass)).c_str(), (long long)p.batch, (long long)p.heads,
                  (long long)p.kv_heads, (long long)p.seq_q, (long long)p.seq_k,
                  (long long)p.head_dim, std::string(to_string(p.dtype)).c_str(),
                  p.causal ? ", causal" : "", std::string(to_string(r.model)).c_str());
    return buf;
}

std::size_t shown(const sim::TileRanking& ranking, std::int64_t top) {
    return top > 0 ? std::min<std::size_t>(std::size_t(top), ranking.tiles.size())
                   : ranking.tiles.size();
}

std::string table(const sim::TileRanking& ranking, std::int64_t top) {
    const std::size_t n = shown(ranking, top);
    std::string text = problem_line(ranking.tiles.front().result) + "\n";
    text += std::to_string(ranking.candidates) + " candidate tiles, " +
            std::to_string(ranking.refused) + " refused (fragment rules, SRAM, registers), " +
            std::to_string(ranking.tiles.size()) + " ranked; showing " + std::to_string(n) + "\n";
    if (ranking.pruned > 0)
        text += std::to_string(ranking.pruned) +
                " more feasible tiles left out: the analytic model predicts them slower than "
                "the ranked ones\n";
    text += "\n";
    char line[512];
    std::snprintf(line, sizeof line, "%4s  %-12s %10s %8s  %-10s %5s  %s\n", "rank", "tile", "time",
                  "vs best", "bottleneck", "built", "why");
    text += line;
    const double best = ranking.tiles.front().result.totals.time_s;
    for (std::size_t i = 0; i < n; ++i) {
        const sim::TileAdvice& a = ranking.tiles[i];
        const double t = a.result.totals.time_s;
        std::snprintf(line, sizeof line, "%4zu  %-12s %10s %+7.1f%%  %-10s %5s  %s\n", i + 1,
                      to_string(a.result.tile).c_str(), format_seconds(t).c_str(),
                      100 * (t - best) / best,
                      std::string(sim::to_string(a.result.bottleneck)).c_str(),
                      std::string(sim::to_string(a.built)).c_str(), a.why.c_str());
        text += line;
    }
    if (!ranking.verdict.empty()) text += "\nbest: " + ranking.verdict + "\n";
    return text;
}

std::string json(const sim::TileRanking& ranking, std::int64_t top, const sim::GpuSpec& gpu) {
    const sim::Result& first = ranking.tiles.front().result;
    boost::json::object o;
    o["schema"] = "flashscope.tiles/1";
    o["gpu"] = sim::gpu_to_json(gpu);
    o["algorithm"] = std::string(to_string(first.algorithm));
    o["model"] = std::string(sim::to_string(first.model));
    o["problem"] = sim::problem_to_json(first.problem);
    o["candidates"] = ranking.candidates;
    o["refused"] = ranking.refused;
    o["pruned"] = ranking.pruned;
    o["ranked"] = ranking.tiles.size();
    boost::json::array tiles;
    for (std::size_t i = 0; i < shown(ranking, top); ++i) {
        const sim::TileAdvice& a = ranking.tiles[i];
        const sim::Result& r = a.result;
        boost::json::object t;
        t["rank"] = i + 1;
        t["tile"] = to_string(r.tile);
        t["block_m"] = r.tile.block_m;
        t["block_n"] = r.tile.block_n;
        t["warps"] = r.tile.warps;
        t["stages"] = r.tile.stages;
        t["time_s"] = r.totals.time_s;
        t["bottleneck"] = std::string(sim::to_string(r.bottleneck));
        t["why"] = a.why;
        t["buildable"] = std::string(sim::to_string(a.built));
        t["hbm_bytes"] = r.totals.hbm_read_bytes + r.totals.hbm_write_bytes;
        tiles.push_back(std::move(t));
    }
    o["tiles"] = std::move(tiles);
    o["verdict"] = ranking.verdict;
    return sim::json_text(o) + "\n";
}

std::string csv(const sim::TileRanking& ranking, std::int64_t top) {
    std::string text = sim::csv_line({"rank", "tile", "block_m", "block_n", "warps", "stages",
                                      "time_s", "bottleneck", "buildable", "why"});
    for (std::size_t i = 0; i < shown(ranking, top); ++i) {
        const sim::TileAdvice& a = ranking.tiles[i];
        const TileConfig& t = a.result.tile;
        char time[32];
        std::snprintf(time, sizeof time, "%.9g", a.result.totals.time_s);
        text += sim::csv_line({std::to_string(i + 1), to_string(t), std::to_string(t.block_m),
                               std::to_string(t.block_n), std::to_string(t.warps),
                               std::to_string(t.stages), time,
                               std::string(sim::to_string(a.result.bottleneck)),
                               std::string(sim::to_string(a.built)), a.why});
    }
    return text;
}

void run_tiles(const TilesCli& o) {
    const sim::SimulationConfig config = the_config(o);
    const std::string format = chosen_format(o);
    if (o.out_flag->count() > 0) check_output_path("out", o.out);
    const sim::GpuSpec gpu = sim::resolve_config_gpu(config.gpu);
    sim::SimulationRequest request = sim::make_request(config, gpu);
    std::string registers_note;
    if (!o.ptxas.empty()) {
        request.kernel_registers =
            validate::ptxas_entries(validate::read_ptxas_kernels(o.ptxas), o.ptxas_arch);
        if (request.kernel_registers.empty())
            throw ConfigError("ptxas-arch", o.ptxas_arch,
                              "no tiled kernel of " + o.ptxas + " was built for it");
        registers_note = "registers: ptxas's (" + o.ptxas + ", " + o.ptxas_arch +
                         ") for the built tiles, the estimate for the others\n";
    }
    const sim::TileRanking ranking = sim::rank_tiles(request, o.jobs);
    const std::string text = format == "table"  ? registers_note + table(ranking, o.top)
                             : format == "json" ? json(ranking, o.top, gpu)
                                                : csv(ranking, o.top);
    if (o.out.empty())
        std::cout << text;
    else
        write_file_atomically(o.out, text);
}

}  // namespace

void add_tiles_command(CLI::App& app) {
    auto opts = std::make_shared<TilesCli>();
    CLI::App* cmd = app.add_subcommand(
        "tiles",
        "Rank the tiles an algorithm can be built as for a GPU and problem by predicted time, "
        "with the bottleneck and why (given tile fields stay fixed)");
    opts->flags = std::make_unique<SimulationFlags>(*cmd);
    opts->out_flag = cmd->add_option(
        "-o,--out", opts->out, "write the output to this file (atomically) instead of stdout");
    cmd->add_option("--format", opts->format,
                    "table, json or csv (default: from --out's extension, else table)");
    cmd->add_option("--top", opts->top, "rows to show, fastest first; 0: all (default 20)")
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--jobs", opts->jobs, "simulations at once (default: one per CPU)")
        ->check(CLI::PositiveNumber);
    auto* ptxas =
        cmd->add_option("--ptxas", opts->ptxas,
                        "a build's kernels/resource_usage.json: the tiles built there are "
                        "ranked with the registers ptxas gave them (occupancy, spills)");
    cmd->add_option("--ptxas-arch", opts->ptxas_arch, "with --ptxas: whose entries apply")
        ->capture_default_str()
        ->needs(ptxas);
    cmd->callback([opts] { run_tiles(*opts); });
}

}  // namespace flashscope::cli
