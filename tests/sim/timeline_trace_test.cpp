// The Chrome trace of a simulated timeline: valid JSON, the expected tracks, kernel slices that
// add up to the simulated times, waves inside their kernels, busy-ness counters over the whole run.
#include "flashscope/sim/timeline_trace.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cmath>
#include <map>
#include <set>

#include "sim_test_support.hpp"

using namespace flashscope;
using namespace flashscope::sim;
using namespace flashscope::sim::testing;

namespace {

Result simulated(Algorithm algorithm, Pass pass = Pass::fwd) {
    SimulationRequest req = request(algorithm, Model::cycle);
    req.problem.pass = pass;
    req.timeline = true;
    req.timeline_points = 200;
    return simulate(req);
}

boost::json::array trace_events(const std::vector<Result>& results) {
    return boost::json::parse(timeline_chrome_trace(results)).at("traceEvents").as_array();
}

double seconds(const boost::json::value& microseconds) {
    return microseconds.to_number<double>() * 1e-6;
}

struct Slice {
    std::string name;
    double begin_s, end_s;
};

std::map<std::pair<int, int>, std::vector<Slice>> slices_by_track(
    const boost::json::array& events) {
    std::map<std::pair<int, int>, std::vector<Slice>> tracks;
    for (const auto& e : events) {
        if (e.at("ph").as_string() != "X") continue;
        const double b = seconds(e.at("ts"));
        tracks[{int(e.at("pid").as_int64()), int(e.at("tid").as_int64())}].push_back(
            {std::string(e.at("name").as_string()), b, b + seconds(e.at("dur"))});
    }
    return tracks;
}

}  // namespace

TEST(TimelineTrace, KernelSlicesAreTheSimulatedKernelsAndSumToTheTotalTime) {
    const Result naive = simulated(Algorithm::naive),
                 flash = simulated(Algorithm::flash2, Pass::bwd);
    const auto tracks = slices_by_track(trace_events({naive, flash}));
    int pid = 1;
    for (const Result* r : {&naive, &flash}) {
        const auto& kernels = tracks.at({pid++, k_trace_kernels_tid});
        ASSERT_EQ(kernels.size(), r->kernels.size());
        double sum = 0, previous_end = 0;
        for (std::size_t i = 0; i < kernels.size(); ++i) {
            EXPECT_EQ(kernels[i].name, r->kernels[i].name);
            EXPECT_NEAR(kernels[i].end_s - kernels[i].begin_s, r->kernels[i].metrics.time_s, 1e-12);
            EXPECT_NEAR(kernels[i].begin_s, previous_end, 1e-12);  // back to back
            previous_end = kernels[i].end_s;
            sum += kernels[i].end_s - kernels[i].begin_s;
        }
        EXPECT_NEAR(sum, r->totals.time_s, 1e-9 * r->totals.time_s);
        // The timeline the engine recorded ends where the last kernel ends.
        EXPECT_NEAR(previous_end, r->timeline.back().t_end_s, 1e-9 * r->totals.time_s);
    }
}

TEST(TimelineTrace, NamesEveryProcessAndTrack) {
    const auto events = trace_events({simulated(Algorithm::flash2)});
    std::set<std::string> threads, processes, counters;
    for (const auto& e : events) {
        const std::string ph(e.at("ph").as_string());
        ASSERT_TRUE(ph == "M" || ph == "X" || ph == "C") << ph;
        if (e.at("name") == "process_name")
            processes.insert(std::string(e.at("args").at("name").as_string()));
        if (e.at("name") == "thread_name")
            threads.insert(std::string(e.at("args").at("name").as_string()));
        if (ph == "C") counters.insert(std::string(e.at("name").as_string()));
    }
    EXPECT_EQ(processes, (std::set<std::string>{"simulated flash2 (h100-sxm5, cycle model)"}));
    EXPECT_TRUE(threads.count("kernels"));
    EXPECT_TRUE(threads.count("CTA waves"));
    EXPECT_EQ(counters,
              (std::set<std::string>{"hbm busy", "l2 busy", "sram busy", "tensor busy", "fp32 busy",
                                     "sfu busy", "issue busy", "l2port busy"}));
}

TEST(TimelineTrace, WavesAreTheKernelsCtasOverTheSmSlotsAndLieInsideTheirKernel) {
    const Result r = simulated(Algorithm::flash2);
    const KernelResult& k = r.kernels.front();
    // flash2 forward: one CTA per unit, so a wave is sm_count * ctas_per_sm CTAs.
    EXPECT_EQ(static_cast<double>(k.wave_spans.size()), std::ceil(k.waves));
    const auto tracks = slices_by_track(trace_events({r}));
    std::size_t wave_slices = 0;
    for (const auto& [track, slices] : tracks) {
        if (track.second < k_trace_first_wave_tid) continue;
        for (std::size_t i = 0; i < slices.size(); ++i) {
            EXPECT_GE(slices[i].begin_s, -1e-15);
            EXPECT_LE(slices[i].end_s, k.metrics.time_s + 1e-12);
            if (i > 0) {
                EXPECT_GE(slices[i].begin_s, slices[i - 1].end_s - 1e-15) << "overlap on one track";
            }
        }
        wave_slices += slices.size();
    }
    EXPECT_EQ(wave_slices, k.wave_spans.size());
    EXPECT_DOUBLE_EQ(k.wave_spans.front().begin_s, 0.0);
}

TEST(TimelineTrace, CountersSpanTheRunAsPercentages) {
    const Result r = simulated(Algorithm::naive);
    double first = INFINITY, last = 0;
    int samples = 0;
    for (const auto& e : trace_events({r})) {
        if (e.at("ph") != "C" || e.at("name") != "hbm busy") continue;
        const double t = seconds(e.at("ts")), v = e.at("args").at("%").to_number<double>();
        EXPECT_GE(v, 0.0);
        EXPECT_LE(v, 100.0);
        first = std::min(first, t);
        last = std::max(last, t);
        ++samples;
    }
    EXPECT_EQ(samples, int(r.timeline.size()) + 1);
    EXPECT_DOUBLE_EQ(first, 0.0);
    EXPECT_NEAR(last, r.totals.time_s, 1e-9 * r.totals.time_s);
}

TEST(TimelineTrace, ManyWavesAreMergedIntoAtMostTheTimelineBudget) {
    SimulationRequest req = request(Algorithm::naive, Model::cycle);
    req.problem.seq_q = req.problem.seq_k = 8192;
    req.timeline = true;
    req.timeline_points = 16;
    const Result r = simulate(req);
    const KernelResult& softmax = r.kernels.at(1);
    ASSERT_GT(softmax.waves, 16.0);
    EXPECT_LE(softmax.wave_spans.size(), 16u);
    EXPECT_EQ(softmax.wave_spans.front().first_wave, 0);
    for (std::size_t i = 1; i < softmax.wave_spans.size(); ++i)
        EXPECT_EQ(softmax.wave_spans[i].first_wave, softmax.wave_spans[i - 1].last_wave + 1);
    // Whole units per slot set: at least the kernel's fractional wave count, rounded up.
    EXPECT_GE(static_cast<double>(softmax.wave_spans.back().last_wave + 1),
              std::ceil(softmax.waves));
}
