// flashscope simulate: one configuration, one result per algorithm.
#include <boost/json.hpp>
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "flashscope/core/atomic_file.hpp"
#include "flashscope/core/error.hpp"
#include "flashscope/sim/result_io.hpp"
#include "flashscope/sim/simulate.hpp"
#include "flashscope/sim/timeline_trace.hpp"
#include "result_table.hpp"

namespace flashscope::cli {
namespace {

struct SimulateOptions {
    std::string gpu = "h100-sxm5";
    AttentionProblem problem;  // defaults: the main job (batch 4, 16 heads, seq 4096, d 128, bf16)
    static constexpr std::int64_t k_unset = -1;  // so that an explicit 0 reaches validation
    std::int64_t seq = k_unset, seq_q = k_unset, seq_k = k_unset, kv_heads = k_unset;
    std::string dtype = "bf16", pass = "fwd", model = "cycle", format = "table";
    std::vector<std::string> algos;
    TileConfig tile;
    bool naive_eager = false;
    std::string timeline;
    std::string timeline_format;  // csv or chrome; default from the file's extension
};

void run_simulate(const SimulateOptions& o) {
    sim::SimulationRequest req;
    req.gpu = sim::resolve_gpu(o.gpu);
    req.problem = o.problem;
    if (o.seq != o.k_unset) req.problem.seq_q = req.problem.seq_k = o.seq;
    if (o.seq_q != o.k_unset) req.problem.seq_q = o.seq_q;
    if (o.seq_k != o.k_unset) req.problem.seq_k = o.seq_k;
    req.problem.kv_heads = o.kv_heads != o.k_unset ? o.kv_heads : req.problem.heads;
    req.problem.dtype = parse_dtype(o.dtype);
    req.problem.pass = parse_pass(o.pass);
    req.model = sim::parse_model(o.model);
    req.tile = o.tile;
    req.options.naive_eager = o.naive_eager;
    req.timeline = !o.timeline.empty();
    if (req.timeline && req.model != sim::Model::cycle)
        throw ConfigError("timeline", o.timeline, "needs --model cycle");
    const bool json_name = o.timeline.ends_with(".json");
    const std::string timeline_format = !o.timeline_format.empty() ? o.timeline_format : json_name ? "chrome" : "csv";
    if (timeline_format != "csv" && timeline_format != "chrome")
        throw ConfigError("timeline-format", timeline_format, "must be csv or chrome");
    if (o.format != "table" && o.format != "json" && o.format != "csv")
        throw ConfigError("format", o.format, "must be table, json or csv");

    const std::vector<std::string> algos =
        o.algos.empty() ? std::vector<std::string>{"naive", "flash2"} : o.algos;
    std::vector<sim::Result> results;
    for (const std::string& name : algos) {
        req.algorithm = parse_algorithm(name);
        results.push_back(sim::simulate(req));
    }

    if (o.format == "table") {
        std::cout << result_table(results, req.gpu);
    } else if (o.format == "json") {
        if (results.size() == 1) {
            std::cout << boost::json::serialize(sim::result_to_json(results.front(), req.gpu)) << "\n";
        } else {
            boost::json::array all;
            for (const auto& r : results) all.push_back(sim::result_to_json(r, req.gpu));
            std::cout << boost::json::serialize(all) << "\n";
        }
    } else {
        std::cout << sim::csv_line(sim::csv_columns());
        for (const auto& r : results) std::cout << sim::csv_line(sim::csv_values(r));
    }
    if (req.timeline)
        write_file_atomically(o.timeline, timeline_format == "chrome" ? sim::timeline_chrome_trace(results)
                                                                      : sim::timeline_csv(results));
}

}  // namespace

void add_simulate_command(CLI::App& app) {
    auto opts = std::make_shared<SimulateOptions>();
    CLI::App* cmd = app.add_subcommand(
        "simulate", "Simulate attention on a GPU model; bare, it compares naive and flash2 (the main job)");
    cmd->add_option("--gpu", opts->gpu, "GPU preset name or a .yaml file with the preset schema")
        ->capture_default_str();
    cmd->add_option("--batch", opts->problem.batch, "batch size")->capture_default_str();
    cmd->add_option("--heads", opts->problem.heads, "query heads")->capture_default_str();
    cmd->add_option("--kv-heads", opts->kv_heads, "key/value heads (GQA/MQA; default: heads)");
    cmd->add_option("--seq", opts->seq, "sequence length of queries and keys (default 4096)");
    cmd->add_option("--seq-q", opts->seq_q, "query sequence length");
    cmd->add_option("--seq-k", opts->seq_k, "key sequence length");
    cmd->add_option("--head-dim", opts->problem.head_dim, "head dimension")->capture_default_str();
    cmd->add_option("--dtype", opts->dtype, "fp32, fp16 or bf16")->capture_default_str();
    cmd->add_flag("--causal", opts->problem.causal, "causal mask, bottom-right aligned");
    cmd->add_option("--softmax-scale", opts->problem.softmax_scale, "softmax scale (default 1/sqrt(d))");
    cmd->add_option("--dropout", opts->problem.dropout, "dropout probability (naive eager mode only)");
    cmd->add_option("--algo", opts->algos, "naive, flash1 or flash2; repeat for several (default: naive and flash2)");
    cmd->add_option("--pass", opts->pass, "fwd, bwd or fwdbwd")->capture_default_str();
    cmd->add_option("--block-m", opts->tile.block_m, "query rows per tile (default: FlashAttention's rule)");
    cmd->add_option("--block-n", opts->tile.block_n, "key rows per tile (default: FlashAttention's rule)");
    cmd->add_option("--warps", opts->tile.warps, "warps per CTA");
    cmd->add_option("--stages", opts->tile.stages, "K/V pipeline stages");
    cmd->add_option("--model", opts->model, "analytic or cycle")->capture_default_str();
    cmd->add_flag("--naive-eager", opts->naive_eager,
                  "count naive's separate scale/mask/dropout kernels, as an eager framework runs them");
    cmd->add_option("--format", opts->format, "table, json or csv")->capture_default_str();
    cmd->add_option("--timeline", opts->timeline,
                    "write each resource's utilization over time (CSV, or a Chrome trace for Perfetto)");
    cmd->add_option("--timeline-format", opts->timeline_format,
                    "csv or chrome (trace event JSON: kernels, CTA waves, resource busy-ness); "
                    "default: chrome for a .json file, else csv");
    cmd->callback([opts] { run_simulate(*opts); });
}

}  // namespace flashscope::cli
