#include "flashscope/sweep/sweep_runner.hpp"

#include <chrono>

#include "flashscope/core/error.hpp"
#include "flashscope/sweep/cpu_count.hpp"
#include "flashscope/sweep/engine.hpp"
#include "flashscope/sweep/product.hpp"
#include "flashscope/sweep/progress.hpp"
#include "flashscope/sweep/resume.hpp"
#include "flashscope/sweep/sweep_identity.hpp"

namespace flashscope::sweep {
namespace {

std::string shard_text(const Shard& s) {
    return std::to_string(s.index) + "/" + std::to_string(s.count);
}

}  // namespace

SweepSummary run_sweep(const SweepOptions& o, std::ostream& out, std::ostream& log) {
    const auto start = std::chrono::steady_clock::now();
    if (o.resume && o.out.empty())
        throw ConfigError("resume", "true", "needs --out FILE to resume");
    if (o.jobs < 0)
        throw ConfigError("jobs", std::to_string(o.jobs), "must be at least 1 (0 = every core)");
    const OutputFormat format = o.format ? *o.format : format_for_path(o.out);
    const Shard& shard = o.shard;
    const std::int64_t jobs = o.jobs > 0 ? o.jobs : usable_cpu_count();

    const SweepSpec spec = load_sweep_spec(o.spec_path);
    const std::vector<SweepPoint> points = expand(spec);
    SweepSummary summary;
    summary.points = static_cast<std::int64_t>(points.size());
    summary.sweep_id = sweep_identity(spec, points);
    const RowContext context{summary.points, summary.sweep_id, format};
    const std::vector<std::int64_t> mine = shard_indices(summary.points, shard);
    summary.shard_points = static_cast<std::int64_t>(mine.size());

    ExistingRows existing;
    if (o.resume) existing = read_existing_rows(o.out, context, points, shard);
    summary.resumed = existing.rows.size();
    summary.resumed_not_ok = existing.not_ok;
    std::vector<std::int64_t> todo;
    for (std::int64_t i : mine)
        if (!existing.rows.contains(i)) todo.push_back(i);

    if (!o.quiet) {
        log << "sweep: " << o.spec_path << ": sweep_id " << summary.sweep_id << ", "
            << summary.points << " points";
        if (shard.count > 1) log << ", shard " << shard_text(shard) << ": " << summary.shard_points;
        if (o.resume) log << ", " << summary.resumed << " already in " << o.out;
        log << ", " << todo.size() << " to run on "
            << std::min<std::int64_t>(jobs, std::max<std::size_t>(todo.size(), 1))
            << " thread(s)\n";
    }
    const std::unique_ptr<RowSink> sink =
        o.out.empty()
            ? make_stream_sink(out, file_header(format), todo)
            : make_file_sink(o.out, file_header(format), std::move(existing.rows), o.chunk);
    Progress progress(log, o.terminal, o.quiet, summary.shard_points, summary.resumed);
    const EngineCounts counts = run_points(
        spec, points, todo, context, jobs, *sink,
        [&](std::int64_t done) { progress.update(summary.resumed + done); }, o.stop);
    sink->finish();
    progress.finish(summary.resumed + counts.computed);

    summary.computed = counts.computed;
    summary.not_ok = counts.not_ok;
    summary.stopped = counts.stopped;
    summary.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!o.quiet) {
        log << "sweep: " << (summary.stopped ? "stopped; " : "") << summary.computed
            << " points simulated (" << summary.not_ok << " infeasible or failed) in "
            << format_duration(summary.seconds);
        if (!o.out.empty())
            log << ", " << summary.resumed + summary.computed << "/" << summary.shard_points
                << " rows in " << o.out;
        log << "\n";
    }
    return summary;
}

}  // namespace flashscope::sweep
