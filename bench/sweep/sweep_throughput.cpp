// Sweep throughput (configurations/s) on the tile-size sweep:
//   library  : sim::simulate() called in a loop on one thread (the single-configuration rate)
//   sweep -j1: run_sweep() with one worker, writing its output file as `flashscope sweep` does
//   sweep -jN: the same with N workers
// Each is run `repeats` times; the best run counts. Prints one line per case and the two checks of
// the issue: sweep -j1 within 10% of the library, and -j2 faster than -j1.
// Usage: sweep_throughput [SPEC.yaml] [repeats] [max_jobs]
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <string>

#include "flashscope/core/error.hpp"
#include "flashscope/sim/simulate.hpp"
#include "flashscope/sweep/product.hpp"
#include "flashscope/sweep/sweep_runner.hpp"

namespace {

using namespace flashscope;
using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

double library_seconds(const sweep::SweepSpec& spec, const std::vector<sweep::SweepPoint>& points) {
    const auto start = Clock::now();
    std::int64_t ok = 0;
    for (const sweep::SweepPoint& p : points) {
        sim::SimulationRequest req;
        req.gpu = spec.gpu_specs[static_cast<std::size_t>(p.gpu_slot)];
        req.problem = p.problem;
        req.algorithm = p.algorithm;
        req.tile = p.tile;
        req.model = p.model;
        try {
            ok += sim::simulate(req).kernels.empty() ? 0 : 1;
        } catch (const ConfigError&) {
        }
    }
    const double s = seconds_since(start);
    if (ok < 0) std::puts("");  // keeps the loop's results alive
    return s;
}

double sweep_seconds(const std::string& spec_path, std::int64_t jobs, const std::string& out) {
    sweep::SweepOptions o;
    o.spec_path = spec_path;
    o.jobs = jobs;
    o.out = out;
    o.quiet = true;
    o.shard = sweep::Shard{};
    std::ostringstream sink, log;
    const auto start = Clock::now();
    sweep::run_sweep(o, sink, log);
    return seconds_since(start);
}

}  // namespace

int main(int argc, char** argv) {
    const std::string spec_path = argc > 1 ? argv[1] : FLASHSCOPE_TILES_SWEEP;
    const int repeats = argc > 2 ? std::stoi(argv[2]) : 3;
    const std::int64_t max_jobs = argc > 3 ? std::stoll(argv[3]) : 2;
    const sweep::SweepSpec spec = sweep::load_sweep_spec(spec_path);
    const std::vector<sweep::SweepPoint> points = sweep::expand(spec);
    const auto n = static_cast<double>(points.size());
    const std::string out = (std::filesystem::temp_directory_path() / "flashscope-sweep-bench.csv").string();

    double best_library = 1e300;
    for (int r = 0; r < repeats; ++r) best_library = std::min(best_library, library_seconds(spec, points));
    std::printf("%-12s %8s %10s %12s\n", "case", "points", "seconds", "configs/s");
    std::printf("%-12s %8.0f %10.3f %12.1f\n", "library", n, best_library, n / best_library);
    std::vector<double> rates;
    for (std::int64_t jobs = 1; jobs <= max_jobs; ++jobs) {
        double best = 1e300;
        for (int r = 0; r < repeats; ++r) best = std::min(best, sweep_seconds(spec_path, jobs, out));
        rates.push_back(n / best);
        std::printf("sweep -j%-4lld %8.0f %10.3f %12.1f\n", static_cast<long long>(jobs), n, best, n / best);
    }
    std::filesystem::remove(out);
    const double ratio = rates[0] / (n / best_library);
    std::printf("sweep -j1 / library = %.3f (%s: within 10%%)\n", ratio, ratio >= 0.9 ? "ok" : "FAIL");
    bool ok = ratio >= 0.9;
    if (rates.size() > 1) {
        const double speedup = rates[1] / rates[0];
        std::printf("sweep -j2 / sweep -j1 = %.2f (%s: scales with cores)\n", speedup, speedup > 1.5 ? "ok" : "FAIL");
        ok = ok && speedup > 1.5;
    }
    return ok ? 0 : 1;
}
