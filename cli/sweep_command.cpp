// flashscope sweep: a sweep file's product of configurations, simulated on all cores, one row per
// point, resumable and shardable (Slurm job arrays). See docs/SWEEPS.md.
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <iostream>
#include <memory>
#include <stdexcept>

#include "commands.hpp"
#include "error_report.hpp"
#include "flashscope/core/atomic_file.hpp"
#include "flashscope/core/number_text.hpp"
#include "flashscope/sweep/spec_error.hpp"
#include "flashscope/sweep/sweep_runner.hpp"
#include "plot_program.hpp"

namespace flashscope::cli {
namespace {

std::atomic<bool> g_stop_requested{false};

extern "C" void request_stop(int signal_number) {
    g_stop_requested = true;
    std::signal(signal_number, SIG_DFL);  // a second signal ends the process at once
}

struct SweepCliOptions {
    sweep::SweepOptions run;
    std::string format;
    std::string shard;
    bool fail_on_infeasible = false;
    std::string jobs = "0";
    std::string chunk = std::to_string(sweep::ChunkPolicy{}.rows);
    CLI::Option* out_flag = nullptr;
    std::string plot;  // picture drawn from --out when the sweep is done
};

void run_sweep_command(SweepCliOptions& o) {
    if (!o.plot.empty()) {  // checked before the work: a plot that cannot be drawn should not wait
                            // for it
        if (o.run.out.empty())
            throw ConfigError("plot", o.plot, "needs --out FILE: the plot is drawn from it");
        if (!o.plot.ends_with(".png") && !o.plot.ends_with(".svg"))
            throw ConfigError("plot", o.plot, "must end in .png or .svg");
        find_plot_program();
    }
    if (!o.format.empty()) o.run.format = sweep::parse_output_format(o.format);
    const sweep::ShardChoice shard = sweep::choose_shard(o.shard);
    o.run.shard = shard.shard;
    o.run.jobs = parse_whole("jobs", o.jobs, 0, 4096);
    o.run.chunk.rows = parse_whole("chunk", o.chunk, 1, std::int64_t{1} << 30);
    if (o.out_flag->count() > 0) check_output_path("out", o.run.out);
    if (!shard.note.empty() && !o.run.quiet) std::cerr << "sweep: " << shard.note << "\n";
    o.run.terminal = isatty(STDERR_FILENO) != 0;
    o.run.stop = &g_stop_requested;
    std::signal(SIGINT, request_stop);
    std::signal(SIGTERM, request_stop);
    sweep::SweepSummary summary;
    try {
        summary = sweep::run_sweep(o.run, std::cout, std::cerr);
    } catch (const sweep::SpecError& e) {
        throw UsageError(e.what());  // a bad sweep file: "file:line: key: problem", exit 2
    }
    if (summary.stopped)
        throw std::runtime_error(
            "interrupted after " + std::to_string(summary.resumed + summary.computed) + " of " +
            std::to_string(summary.shard_points) + " points" +
            (o.run.out.empty() ? "" : "; run again with --resume to finish " + o.run.out));
    if (!o.plot.empty()) {
        const int status = run_plot_program({"auto", o.run.out, "-o", o.plot});
        if (status != 0)
            throw std::runtime_error("the sweep is in " + o.run.out +
                                     ", but its plot failed (see above); draw it with "
                                     "flashscope plot KIND " +
                                     o.run.out + " -o " + o.plot + " --where ...");
    }
    const std::int64_t not_ok = summary.resumed_not_ok + summary.not_ok;
    if (o.fail_on_infeasible && not_ok > 0)
        throw std::runtime_error(
            std::to_string(not_ok) + " of " + std::to_string(summary.shard_points) +
            " rows are infeasible or failed (--fail-on-infeasible); their status and "
            "reason columns say why");
}

}  // namespace

void add_sweep_command(CLI::App& app) {
    auto opts = std::make_shared<SweepCliOptions>();
    CLI::App* cmd = app.add_subcommand("sweep",
                                       "Simulate every configuration of a sweep file (the product "
                                       "of its value lists), one row each");
    cmd->add_option("spec", opts->run.spec_path,
                    "sweep file (YAML): simulate's option names as keys, "
                    "each a value or a list")
        ->required();
    cmd->add_option("-j,--jobs", opts->jobs, "threads (default 0: every usable core)")
        ->type_name("N");
    opts->out_flag =
        cmd->add_option("-o,--out", opts->run.out,
                        "output file, rewritten atomically after each chunk (default: stdout)");
    cmd->add_option("--format", opts->format,
                    "csv or jsonl (default: from --out's extension, else csv)");
    cmd->add_flag("--resume", opts->run.resume,
                  "keep the rows already in --out and simulate only the others");
    cmd->add_option("--shard", opts->shard,
                    "run shard I of N (0 <= I < N, points with index % N == I), or "
                    "auto: this Slurm array task's shard (SLURM_ARRAY_TASK_ID/COUNT/MIN; "
                    "every point outside an array); default: every point");
    cmd->add_flag("--fail-on-infeasible", opts->fail_on_infeasible,
                  "exit 1 after writing every row when any row is infeasible or failed");
    cmd->add_flag("-q,--quiet", opts->run.quiet, "no progress or summary on stderr");
    cmd->add_option("--chunk", opts->chunk, "rows per atomic write of --out (also every 2 s)")
        ->type_name("N")
        ->capture_default_str();
    cmd->add_option(
        "--plot", opts->plot,
        "when done, draw --out as a PNG or SVG (flashscope plot auto: scaling when seq varies, "
        "the tile heatmap when block_m or block_n vary, else a roofline)");
    cmd->callback([opts] { run_sweep_command(*opts); });
}

}  // namespace flashscope::cli
