// flashscope bench: times the CUDA kernels of each algorithm with the profiler's CUDA-event timer
// (warm-up, the profiler's L2 flush before every timed run, median of many runs) and prints TFLOP/s
// with the FlashAttention convention: FLOPs = 4 * B * H * seq_q * seq_k * d, halved when causal,
// backward 2.5x, forward+backward 3.5x. Which algorithms run which passes, take a tile or have a
// deterministic mode comes from the algorithm descriptors and the kernels' launch plans.
#include <cuda_runtime.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "commands.hpp"
#include "flashscope/core/algorithm.hpp"
#include "flashscope/core/atomic_file.hpp"
#include "flashscope/core/error.hpp"
#include "flashscope/core/problem.hpp"
#include "flashscope/core/tile.hpp"
#include "flashscope/kernels/launch_plans.hpp"
#include "flashscope/kernels/workspace.hpp"
#include "flashscope/profiler/device_info.hpp"
#include "flashscope/profiler/event_timer.hpp"
#include "flashscope/profiler/l2_flusher.hpp"

namespace flashscope::cli {

namespace {

struct BenchOptions {
    AttentionProblem problem;
    std::int64_t seq = 4096;
    std::int64_t seq_k = 0;  // 0 = seq
    std::string dtype = "bf16";
    std::vector<std::string> algos;  // empty: every algorithm with CUDA kernels for the pass
    std::string pass = "fwd";
    std::string tile = "default";  // default | all | BMxBNxWxS
    int warmup = 3;
    int repeat = 20;
    bool deterministic = false;
    std::string format = "table";
    std::string out;  // file, written atomically; empty = stdout
    CLI::Option* out_flag = nullptr;
};

struct BenchRecord {
    Algorithm algo;
    std::string tile;
    AttentionProblem problem;
    double median_ms = 0, min_ms = 0, tflops = 0;
    std::int64_t device_bytes = 0;
};

// The --tile value: default, all, or one tile in the syntax every command takes.
TileConfig requested_tile(const std::string& text) {
    TileConfig t = parse_tile(text);
    t.validate();
    return t;
}

std::string tile_text(Algorithm algo, const TileConfig& t) {
    if (!kernels::takes_tile(algo)) return "-";
    if (t == TileConfig{}) return "default";
    return std::to_string(t.block_m) + "x" + std::to_string(t.block_n) + "x" +
           std::to_string(t.warps) + "x" + std::to_string(t.stages);
}

double flop_count(const AttentionProblem& p, Pass pass) {
    double f = 4.0 * static_cast<double>(p.batch * p.heads) * static_cast<double>(p.seq_q) *
               static_cast<double>(p.seq_k) * static_cast<double>(p.head_dim);
    if (p.causal) f /= 2;
    if (pass == Pass::bwd) f *= 2.5;
    if (pass == Pass::fwdbwd) f *= 3.5;
    return f;
}

AttentionProblem bench_problem(const BenchOptions& o) {
    AttentionProblem p = o.problem;
    p.seq_q = o.seq;
    p.seq_k = o.seq_k > 0 ? o.seq_k : o.seq;
    p.dtype = parse_dtype(o.dtype);
    p.pass = parse_pass(o.pass);
    if (p.kv_heads == 0) p.kv_heads = p.heads;
    p.validate();
    return p;
}

// The algorithms to time: those named (each must have CUDA kernels for the pass), else every
// algorithm that has them.
std::vector<Algorithm> bench_algorithms(const BenchOptions& o, Pass pass) {
    std::vector<Algorithm> out;
    if (o.algos.empty()) {
        for (Algorithm a : all_algorithms())
            if (kernels::has_launch_plan(a) && descriptor(a).measures(pass) &&
                (!kernels::device_available() || kernels::runs_on_current_device(a)))
                out.push_back(a);  // flash3's sm_90a kernels only where they run
        return out;
    }
    for (const std::string& name : o.algos) {
        const Algorithm a = parse_algorithm(name);
        if (std::find(out.begin(), out.end(), a) != out.end())
            throw ConfigError("algo", name, "is listed twice");
        if (!kernels::has_launch_plan(a) || !descriptor(a).measures(pass))
            throw ConfigError(
                "algo", name,
                "has no CUDA kernels for the " + std::string(to_string(pass)) + " pass");
        out.push_back(a);
    }
    return out;
}

std::vector<TileConfig> bench_tiles(const BenchOptions& o, Algorithm algo,
                                    const AttentionProblem& p) {
    if (o.tile == "all") return kernels::built_tiles(algo, p.pass, p.dtype, p.head_dim);
    if (o.tile == "default" || !kernels::takes_tile(algo)) return {TileConfig{}};
    return {requested_tile(o.tile)};
}

class Stream {
public:
    Stream() {
        if (cudaStreamCreate(&m_stream) != cudaSuccess)
            throw std::runtime_error("cudaStreamCreate failed");
    }
    ~Stream() { cudaStreamDestroy(m_stream); }
    Stream(const Stream&) = delete;
    Stream& operator=(const Stream&) = delete;
    cudaStream_t get() const { return m_stream; }

private:
    cudaStream_t m_stream = nullptr;
};

std::vector<BenchRecord> run_bench(const BenchOptions& o, const AttentionProblem& p,
                                   const std::vector<Algorithm>& algos,
                                   const profiler::DeviceInfo& device) {
    profiler::L2Flusher flusher(device.l2_bytes);
    Stream stream;
    std::vector<BenchRecord> records;
    for (Algorithm algo : algos) {
        const bool deterministic = o.deterministic && kernels::has_deterministic_mode(algo);
        for (const TileConfig& tile : bench_tiles(o, algo, p)) {
            // One workspace per run keeps naive's N x N buffers from piling up.
            kernels::AttentionWorkspace w(p, 1);
            if (p.pass == Pass::bwd) {  // O and LSE (and naive's P) come from a forward run first
                for (const auto& l : w.launches(algo, Pass::fwd, TileConfig{})) l.run(stream.get());
            }
            std::vector<profiler::RangeLaunch> launches;
            for (auto& l : w.launches(algo, p.pass, tile, deterministic))
                launches.push_back({std::move(l.name), std::move(l.run)});
            const auto seconds =
                profiler::list_run_seconds(launches, o.warmup, o.repeat, &flusher, stream.get());
            BenchRecord r;
            r.algo = algo;
            r.tile = tile_text(algo, tile);
            r.problem = p;
            r.median_ms = profiler::median_of(seconds) * 1e3;
            r.min_ms = *std::min_element(seconds.begin(), seconds.end()) * 1e3;
            r.tflops = flop_count(p, p.pass) / (r.median_ms * 1e-3) / 1e12;
            r.device_bytes = w.device_bytes();
            records.push_back(r);
            if (cudaStreamSynchronize(stream.get()) != cudaSuccess)
                throw std::runtime_error("bench: stream failed");
        }
    }
    return records;
}

std::string shape_text(const AttentionProblem& p) {
    return std::to_string(p.batch) + "x" + std::to_string(p.heads) + "x" +
           std::to_string(p.kv_heads) + "x" + std::to_string(p.seq_q) + "x" +
           std::to_string(p.seq_k) + "x" + std::to_string(p.head_dim);
}

template <class... Args>
void append(std::string& text, const char* format, Args... args) {
    const int size = std::snprintf(nullptr, 0, format, args...);
    std::string line(static_cast<std::size_t>(size) + 1, '\0');
    std::snprintf(line.data(), line.size(), format, args...);
    line.pop_back();
    text += line;
}

std::string table_text(const std::vector<BenchRecord>& records, const std::string& device_name) {
    std::string text = "device: " + device_name + "\n";
    append(text, "%-7s %-6s %-5s %-22s %-6s %-12s %10s %10s %9s\n", "algo", "pass", "dtype",
           "shape (BxHxHkvxSqxSkxD)", "causal", "tile", "median_ms", "min_ms", "TFLOP/s");
    for (const auto& r : records) {
        const auto& p = r.problem;
        append(text, "%-7s %-6s %-5s %-22s %-6s %-12s %10.3f %10.3f %9.1f\n",
               std::string(to_string(r.algo)).c_str(), std::string(to_string(p.pass)).c_str(),
               std::string(to_string(p.dtype)).c_str(), shape_text(p).c_str(),
               p.causal ? "yes" : "no", r.tile.c_str(), r.median_ms, r.min_ms, r.tflops);
    }
    return text;
}

std::string json_text(const std::vector<BenchRecord>& records, const std::string& device_name) {
    std::string text = "[\n";
    for (std::size_t i = 0; i < records.size(); ++i) {
        const auto& r = records[i];
        const auto& p = r.problem;
        append(text,
               "  {\"device\": \"%s\", \"algo\": \"%s\", \"pass\": \"%s\", \"dtype\": \"%s\", "
               "\"batch\": %lld, "
               "\"heads\": %lld, \"kv_heads\": %lld, \"seq_q\": %lld, \"seq_k\": %lld, "
               "\"head_dim\": %lld, "
               "\"causal\": %s, \"tile\": \"%s\", \"median_ms\": %.6f, \"min_ms\": %.6f, "
               "\"tflops\": %.3f, "
               "\"hbm_footprint_bytes\": %lld}%s\n",
               device_name.c_str(), std::string(to_string(r.algo)).c_str(),
               std::string(to_string(p.pass)).c_str(), std::string(to_string(p.dtype)).c_str(),
               static_cast<long long>(p.batch), static_cast<long long>(p.heads),
               static_cast<long long>(p.kv_heads), static_cast<long long>(p.seq_q),
               static_cast<long long>(p.seq_k), static_cast<long long>(p.head_dim),
               p.causal ? "true" : "false", r.tile.c_str(), r.median_ms, r.min_ms, r.tflops,
               static_cast<long long>(r.device_bytes), i + 1 < records.size() ? "," : "");
    }
    return text + "]\n";
}

void bench(const BenchOptions& o) {
    // Everything the command line says is checked before the device is touched.
    const AttentionProblem p = bench_problem(o);
    const std::vector<Algorithm> algos = bench_algorithms(o, p.pass);
    if (algos.empty()) throw ConfigError("pass", o.pass, "no algorithm has CUDA kernels for it");
    if (o.tile != "default" && o.tile != "all") requested_tile(o.tile);
    if (o.deterministic && (p.pass == Pass::fwd || std::none_of(algos.begin(), algos.end(),
                                                                kernels::has_deterministic_mode)))
        throw ConfigError("deterministic", "true",
                          "needs a backward pass of an algorithm with a deterministic mode");
    if (o.out_flag->count() > 0) check_output_path("out", o.out);

    if (!profiler::device_present()) throw std::runtime_error("no CUDA device");
    int index = 0;
    if (cudaGetDevice(&index) != cudaSuccess) throw std::runtime_error("cudaGetDevice failed");
    const profiler::DeviceInfo device = profiler::device_info(index);
    const auto records = run_bench(o, p, algos, device);
    const std::string text =
        o.format == "json" ? json_text(records, device.name) : table_text(records, device.name);
    if (o.out.empty()) {
        std::cout << text;
        return;
    }
    try {
        write_file_atomically(o.out, text);
    } catch (const std::runtime_error& e) {
        throw ConfigError("out", o.out, e.what());
    }
}

}  // namespace

void add_bench_command(CLI::App& app) {
    auto options = std::make_shared<BenchOptions>();
    options->problem.batch = 4;
    options->problem.heads = 16;
    options->problem.kv_heads = 0;
    options->problem.head_dim = 128;
    CLI::App* cmd = app.add_subcommand(
        "bench", "Time the CUDA kernels (CUDA events, median of runs, L2 flushed)");
    cmd->add_option("--batch,-b", options->problem.batch, "batch size")->capture_default_str();
    cmd->add_option("--heads", options->problem.heads, "query heads")->capture_default_str();
    cmd->add_option("--kv-heads", options->problem.kv_heads, "key/value heads (default: heads)");
    cmd->add_option("--seq,-n", options->seq, "query length (and key length unless --seq-k)")
        ->capture_default_str();
    cmd->add_option("--seq-k", options->seq_k, "key length");
    cmd->add_option("--head-dim,-d", options->problem.head_dim, "head dimension")
        ->capture_default_str();
    cmd->add_option("--dtype", options->dtype, "bf16 or fp16")->capture_default_str();
    cmd->add_flag("--causal", options->problem.causal, "causal mask (bottom-right aligned)");
    cmd->add_option("--algo", options->algos,
                    "algorithms (default: every one with CUDA kernels for the pass)")
        ->delimiter(',');
    cmd->add_option("--pass", options->pass, "fwd, bwd or fwdbwd")->capture_default_str();
    cmd->add_option("--tile", options->tile,
                    "default, all (every built tile) or BMxBNxWARPSxSTAGES")
        ->capture_default_str();
    cmd->add_option("--warmup", options->warmup, "untimed runs")
        ->capture_default_str()
        ->check(CLI::NonNegativeNumber);
    cmd->add_option("--repeat", options->repeat, "timed runs (median reported)")
        ->capture_default_str()
        ->check(CLI::PositiveNumber);
    cmd->add_flag("--deterministic", options->deterministic,
                  "ordered backward accumulation where an algorithm has it");
    cmd->add_option("--format", options->format, "table or json")
        ->check(CLI::IsMember({"table", "json"}))
        ->capture_default_str();
    options->out_flag = cmd->add_option(
        "-o,--out", options->out, "write the results to this file (atomically) instead of stdout");
    cmd->callback([options] { bench(*options); });
}

}  // namespace flashscope::cli
