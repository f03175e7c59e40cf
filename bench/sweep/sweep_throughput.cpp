// Sweep throughput (configurations/s) on the tile-size sweep:
//   library  : sim::simulate() called in a loop on one thread (the single-configuration rate)
//   sweep -j1: run_sweep() with one worker, writing its output file as `flashscope sweep` does
//   sweep -jN: the same with N workers
// The cases run in turn, `repeats` rounds (so a change in the machine's load hits all of them);
// each case's best round counts. Prints one line per case (wall time, CPU time of
// the process, configurations per wall second and per CPU second) and the two checks of the issue:
// sweep -j1 within 10% of the library, and -j2 at least 1.5x -j1. On a machine whose cores are
// busy with other work the wall-clock speedup cannot show; equal configs per CPU second at -j1 and
// -j2 then still shows that the engine adds no serial work.
// Usage: sweep_throughput [SPEC.yaml] [repeats] [max_jobs]
#include <sys/resource.h>

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

double seconds_since(Clock::time_point t) {
    return std::chrono::duration<double>(Clock::now() - t).count();
}

double cpu_seconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    const auto sec = [](const timeval& t) {
        return static_cast<double>(t.tv_sec) + 1e-6 * static_cast<double>(t.tv_usec);
    };
    return sec(u.ru_utime) + sec(u.ru_stime);
}

struct Timing {
    double wall = 1e300;
    double cpu = 0;
};

template <typename Run>
void keep_best(Timing& best, Run run) {
    const double cpu0 = cpu_seconds();
    const double wall = run();
    if (wall < best.wall) best = {wall, cpu_seconds() - cpu0};
}

void print_row(const std::string& name, double n, const Timing& t) {
    std::printf("%-12s %7.0f %9.3f %9.3f %11.1f %11.1f\n", name.c_str(), n, t.wall, t.cpu,
                n / t.wall, n / t.cpu);
}

double library_seconds(const sweep::SweepSpec& spec, const std::vector<sweep::SweepPoint>& points) {
    const auto start = Clock::now();
    std::int64_t ok = 0;
    for (const sweep::SweepPoint& p : points) {
        try {
            const auto req =
                sim::make_request(p.config, spec.gpu_specs[static_cast<std::size_t>(p.gpu_slot)]);
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
    const std::string out =
        (std::filesystem::temp_directory_path() / "flashscope-sweep-bench.csv").string();

    std::printf("%-12s %7s %9s %9s %11s %11s\n", "case", "points", "wall_s", "cpu_s", "configs/s",
                "configs/cpu_s");
    Timing library;
    std::vector<Timing> sweeps(static_cast<std::size_t>(max_jobs));
    for (int r = 0; r < repeats; ++r) {
        keep_best(library, [&] { return library_seconds(spec, points); });
        for (std::int64_t jobs = 1; jobs <= max_jobs; ++jobs)
            keep_best(sweeps[static_cast<std::size_t>(jobs - 1)],
                      [&] { return sweep_seconds(spec_path, jobs, out); });
    }
    print_row("library", n, library);
    const double best_library = library.wall;
    std::vector<double> rates;
    for (std::int64_t jobs = 1; jobs <= max_jobs; ++jobs) {
        const Timing& t = sweeps[static_cast<std::size_t>(jobs - 1)];
        rates.push_back(n / t.wall);
        print_row("sweep -j" + std::to_string(jobs), n, t);
    }
    std::filesystem::remove(out);
    const double ratio = rates[0] / (n / best_library);
    std::printf("sweep -j1 / library = %.3f (%s: within 10%%)\n", ratio,
                ratio >= 0.9 ? "ok" : "FAIL");
    bool ok = ratio >= 0.9;
    if (rates.size() > 1) {
        const double speedup = rates[1] / rates[0];
        std::printf("sweep -j2 / sweep -j1 = %.2f (%s: scales with cores)\n", speedup,
                    speedup > 1.5 ? "ok" : "FAIL");
        ok = ok && speedup > 1.5;
    }
    return ok ? 0 : 1;
}
