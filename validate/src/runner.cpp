#include "flashscope/validate/runner.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <ostream>

#include "flashscope/core/error.hpp"
#include "flashscope/kernels/workspace.hpp"
#include "flashscope/profiler/counter_conversion.hpp"
#include "flashscope/profiler/event_timer.hpp"
#include "flashscope/profiler/profiler_error.hpp"
#include "flashscope/profiler/range_profiler.hpp"
#include "flashscope/sim/simulate.hpp"
#include "flashscope/sim/simulation_config.hpp"
#include "flashscope/validate/device_preset.hpp"
#include "flashscope/validate/join.hpp"

namespace flashscope::validate {

namespace {

std::string utc_now() {
    const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::string choose_preset(const profiler::DeviceInfo& device, const std::string& requested) {
    if (!requested.empty()) return requested;
    if (auto preset = preset_for_device(device.name, device.memory_bytes)) return *preset;
    std::string names;
    for (const auto& n : sim::gpu_preset_names()) names += (names.empty() ? "" : ", ") + n;
    throw ConfigError("gpu", device.name,
                      "no simulator preset matches this device; pass --gpu (" + names + ")");
}

std::vector<PredictedKernel> predict(const sim::GpuSpec& gpu, const ValidationCase& c,
                                     sim::Model model, bool with_dirty_at_end) {
    sim::SimulationConfig config;
    config.problem = c.problem;
    config.algorithm = c.algorithm;
    config.tile = c.tile;
    config.model = model;
    const auto result = sim::simulate(sim::make_request(config, gpu));
    std::vector<PredictedKernel> out;
    for (const auto& k : result.kernels)
        out.push_back({{c.problem, c.algorithm, c.tile, k.name}, k.metrics});
    if (with_dirty_at_end) {
        Metrics dirty;
        dirty.hbm_write_bytes = result.l2_dirty_at_end_bytes;
        out.push_back({{c.problem, c.algorithm, c.tile, k_l2_dirty_at_end}, dirty});
    }
    return out;
}

std::vector<MeasuredKernel> measure(profiler::RangeProfiler& prof, const ValidationCase& c,
                                    const RunOptions& options, std::int64_t* passes) {
    kernels::AttentionWorkspace workspace(c.problem, options.seed);
    std::vector<profiler::RangeLaunch> launches;
    for (auto& launch : workspace.launches(c.algorithm, c.problem.pass, c.tile))
        launches.push_back({launch.name, launch.run});
    profiler::ProfileOptions profile_options;
    profile_options.timing_runs = options.timing_runs;
    profile_options.l2 = options.l2;
    if (options.instruction_counters)
        profile_options.groups.push_back(profiler::instruction_metric_group());
    const auto result = prof.profile(launches, profile_options);
    *passes = result.total_passes();
    std::vector<MeasuredKernel> out;
    for (const auto& range : result.ranges) {
        MeasuredKernel m;
        m.key = {c.problem, c.algorithm, c.tile, range.name};
        m.metrics = profiler::metrics_from_counters(range.counters);
        m.counter_time_s = m.metrics.time_s;
        for (const auto& f : profiler::measured_fields(range.counters)) m.fields.insert(f);
        m.counters = range.counters;
        m.sm_clock_hz = profiler::sm_clock_hz(range.counters);
        if (range.event_seconds > 0) {
            // CUDA events, outside the profiler; the profiled range's duration and elapsed cycles
            // are inflated by the profiler, so cycles follow the event time at the range's clock.
            m.metrics.time_s = range.event_seconds;
            m.fields.insert("time_s");
            if (m.sm_clock_hz > 0) m.metrics.cycles = range.event_seconds * m.sm_clock_hz;
        }
        out.push_back(std::move(m));
    }
    if (options.l2 == profiler::L2Protocol::chained && options.model == sim::Model::cycle) {
        MeasuredKernel dirty;
        dirty.key = {c.problem, c.algorithm, c.tile, k_l2_dirty_at_end};
        dirty.metrics.hbm_write_bytes = static_cast<std::int64_t>(result.dram_write_after_last);
        dirty.fields = {"hbm_write_bytes"};
        out.push_back(std::move(dirty));
    }
    return out;
}

}  // namespace

ValidationRun run_validation(const ValidationSuite& suite, const RunOptions& options,
                             std::ostream& progress) {
    profiler::RangeProfiler prof;
    ValidationRun run;
    run.device = prof.device().name;
    run.chip = prof.chip();
    run.gpu_preset = choose_preset(prof.device(), options.gpu_preset);
    run.model = std::string(sim::to_string(options.model));
    run.l2_protocol = std::string(profiler::to_string(options.l2));
    run.suite = options.suite_name.empty() ? suite.name : options.suite_name;
    run.command = options.command;
    run.date = utc_now();
    const sim::GpuSpec gpu = sim::gpu_preset(run.gpu_preset);

    auto cases = expand(suite, [](Algorithm a, Pass p, DType t, std::int64_t d) {
        return kernels::built_tiles(a, p, t, d);
    });
    if (options.max_cases > 0 && std::int64_t(cases.size()) > options.max_cases)
        cases.resize(std::size_t(options.max_cases));
    progress << "validate: " << cases.size() << " configurations on " << run.device << " ("
             << run.chip << "), simulator preset " << run.gpu_preset << "\n";

    std::vector<PredictedKernel> predicted;
    std::vector<MeasuredKernel> measured;
    std::size_t index = 0;
    for (const auto& c : cases) {
        ++index;
        const std::string label = to_string(ConfigKey{c.problem, c.algorithm, c.tile, ""});
        try {
            auto p = predict(
                gpu, c, options.model,
                options.l2 == profiler::L2Protocol::chained && options.model == sim::Model::cycle);
            std::int64_t passes = 0;
            auto m = measure(prof, c, options, &passes);
            run.passes = std::max(run.passes, passes);
            predicted.insert(predicted.end(), p.begin(), p.end());
            measured.insert(measured.end(), m.begin(), m.end());
            progress << "  [" << index << "/" << cases.size() << "] " << label << ": " << m.size()
                     << " kernels\n";
        } catch (const profiler::ProfilerError& e) {
            if (e.kind() == profiler::ProfilerErrorKind::cuda) {
                progress << "  [" << index << "/" << cases.size() << "] " << label << ": skipped ("
                         << e.what() << ")\n";
                continue;
            }
            throw;  // privileges, busy, unsupported: nothing else will work either
        } catch (const std::exception& e) {
            progress << "  [" << index << "/" << cases.size() << "] " << label << ": skipped ("
                     << e.what() << ")\n";
        }
        progress.flush();
    }
    auto joined = join(predicted, measured);
    for (const auto& k : joined.measured_only)
        progress << "  measured but not predicted: " << to_string(k) << "\n";
    for (const auto& k : joined.predicted_only)
        progress << "  predicted but not measured: " << to_string(k) << "\n";
    run.records = std::move(joined.records);
    std::vector<double> clocks;
    for (const auto& r : run.records)
        if (r.sm_clock_hz > 0) clocks.push_back(r.sm_clock_hz);
    run.sm_clock_hz = profiler::median_of(clocks);
    run.errors = summarize_errors(run.records);
    run.ranks = rank_agreement(run.records);
    return run;
}

}  // namespace flashscope::validate
