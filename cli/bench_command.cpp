// flashscope bench: times the CUDA kernels of each algorithm with CUDA events (warm-up, L2 flushed
// before every timed run, median of many runs) and prints TFLOP/s with the FlashAttention convention:
// FLOPs = 4 * B * H * seq_q * seq_k * d, halved when causal, backward 2.5x, forward+backward 3.5x.
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <cuda_runtime.h>

#include "commands.hpp"
#include "flashscope/core/algorithm.hpp"
#include "flashscope/core/error.hpp"
#include "flashscope/core/problem.hpp"
#include "flashscope/kernels/cuda_error.hpp"
#include "flashscope/kernels/workspace.hpp"

namespace flashscope::cli {

namespace {

struct BenchOptions {
    AttentionProblem problem;
    std::int64_t seq = 4096;
    std::int64_t seq_k = 0;  // 0 = seq
    std::string dtype = "bf16";
    std::vector<std::string> algos = {"naive", "flash1", "flash2"};
    std::string pass = "fwd";
    std::string tile = "default";  // default | all | BMxBNxWxS
    int warmup = 3;
    int repeat = 20;
    bool deterministic = false;
    std::string format = "table";
    std::string output;  // file (written to a temporary name, then renamed); empty = stdout
};

struct BenchRecord {
    std::string algo, pass, tile;
    AttentionProblem problem;
    double median_ms = 0, min_ms = 0, tflops = 0;
    std::int64_t device_bytes = 0;
};

TileConfig parse_tile(const std::string& text) {
    TileConfig t;
    char x1 = 0, x2 = 0, x3 = 0;
    std::istringstream in(text);
    if (!(in >> t.block_m >> x1 >> t.block_n >> x2 >> t.warps >> x3 >> t.stages) || x1 != 'x' || x2 != 'x' || x3 != 'x')
        throw ConfigError("tile", text, "must be default, all or BMxBNxWARPSxSTAGES, e.g. 128x64x4x2");
    t.validate();
    return t;
}

std::string tile_text(const TileConfig& t) {
    if (t == TileConfig{}) return "-";
    return std::to_string(t.block_m) + "x" + std::to_string(t.block_n) + "x" + std::to_string(t.warps) + "x" +
           std::to_string(t.stages);
}

double flop_count(const AttentionProblem& p, Pass pass) {
    double f = 4.0 * static_cast<double>(p.batch * p.heads) * static_cast<double>(p.seq_q) *
               static_cast<double>(p.seq_k) * static_cast<double>(p.head_dim);
    if (p.causal) f /= 2;
    if (pass == Pass::bwd) f *= 2.5;
    if (pass == Pass::fwdbwd) f *= 3.5;
    return f;
}

// Median and minimum time of the launches in ms, L2 flushed before each timed run.
std::pair<double, double> time_launches(const std::vector<kernels::KernelLaunch>& launches, int warmup, int repeat,
                                        void* flush, std::size_t flush_bytes, cudaStream_t stream) {
    for (int i = 0; i < warmup; ++i)
        for (const auto& l : launches) l.run(stream);
    cudaEvent_t start = nullptr, stop = nullptr;
    FLASHSCOPE_CUDA_CHECK(cudaEventCreate(&start));
    FLASHSCOPE_CUDA_CHECK(cudaEventCreate(&stop));
    std::vector<double> times;
    for (int i = 0; i < repeat; ++i) {
        FLASHSCOPE_CUDA_CHECK(cudaMemsetAsync(flush, i & 0xff, flush_bytes, stream));
        FLASHSCOPE_CUDA_CHECK(cudaEventRecord(start, stream));
        for (const auto& l : launches) l.run(stream);
        FLASHSCOPE_CUDA_CHECK(cudaEventRecord(stop, stream));
        FLASHSCOPE_CUDA_CHECK(cudaEventSynchronize(stop));
        float ms = 0;
        FLASHSCOPE_CUDA_CHECK(cudaEventElapsedTime(&ms, start, stop));
        times.push_back(ms);
    }
    cudaEventDestroy(start);
    cudaEventDestroy(stop);
    std::sort(times.begin(), times.end());
    return {times[times.size() / 2], times.front()};
}

std::vector<BenchRecord> run_bench(const BenchOptions& o) {
    if (!kernels::device_available()) throw std::runtime_error("no CUDA device");
    AttentionProblem p = o.problem;
    p.seq_q = o.seq;
    p.seq_k = o.seq_k > 0 ? o.seq_k : o.seq;
    p.dtype = parse_dtype(o.dtype);
    p.pass = parse_pass(o.pass);
    if (p.kv_heads == 0) p.kv_heads = p.heads;
    p.validate();
    const Pass pass = p.pass;

    int device = 0;
    cudaDeviceProp props{};
    FLASHSCOPE_CUDA_CHECK(cudaGetDevice(&device));
    FLASHSCOPE_CUDA_CHECK(cudaGetDeviceProperties(&props, device));
    const std::size_t flush_bytes = std::max<std::size_t>(2 * static_cast<std::size_t>(props.l2CacheSize), 64u << 20);
    void* flush = nullptr;
    FLASHSCOPE_CUDA_CHECK(cudaMalloc(&flush, flush_bytes));
    cudaStream_t stream = nullptr;
    FLASHSCOPE_CUDA_CHECK(cudaStreamCreate(&stream));

    std::vector<BenchRecord> records;
    try {
        for (const std::string& algo_name : o.algos) {
            const Algorithm algo = parse_algorithm(algo_name);
            if (algo == Algorithm::flash1 && pass != Pass::fwd) continue;  // forward only
            std::vector<TileConfig> tiles;
            if (o.tile == "all" && algo != Algorithm::naive)
                tiles = kernels::built_tiles(algo, pass == Pass::bwd ? Pass::bwd : Pass::fwd, p.dtype, p.head_dim);
            else if (o.tile == "default" || o.tile == "all" || algo == Algorithm::naive)
                tiles = {TileConfig{}};
            else
                tiles = {parse_tile(o.tile)};
            for (const TileConfig& tile : tiles) {
                // One workspace per run keeps naive's N x N buffers from piling up.
                kernels::AttentionWorkspace w(p, 1);
                const bool det = o.deterministic && algo == Algorithm::flash2;
                if (pass == Pass::bwd) {  // O, LSE (and naive's P) come from a forward run first
                    for (const auto& l : w.launches(algo, Pass::fwd, TileConfig{}))
                        l.run(stream);
                }
                const auto launches = w.launches(algo, pass, tile, det);
                const auto [median, best] = time_launches(launches, o.warmup, o.repeat, flush, flush_bytes, stream);
                BenchRecord r;
                r.algo = algo_name;
                r.pass = o.pass;
                r.tile = tile_text(tile);
                if (algo != Algorithm::naive && tile == TileConfig{}) r.tile = "default";
                r.problem = p;
                r.median_ms = median;
                r.min_ms = best;
                r.tflops = flop_count(p, pass) / (median * 1e-3) / 1e12;
                r.device_bytes = w.device_bytes();
                records.push_back(r);
                FLASHSCOPE_CUDA_CHECK(cudaStreamSynchronize(stream));
            }
        }
    } catch (...) {
        cudaFree(flush);
        cudaStreamDestroy(stream);
        throw;
    }
    cudaFree(flush);
    cudaStreamDestroy(stream);
    return records;
}

void print_table(std::FILE* f, const std::vector<BenchRecord>& records, const std::string& device_name) {
    std::fprintf(f, "device: %s\n", device_name.c_str());
    std::fprintf(f, "%-7s %-6s %-5s %-22s %-6s %-12s %10s %10s %9s\n", "algo", "pass", "dtype", "shape (BxHxHkvxSqxSkxD)",
                "causal", "tile", "median_ms", "min_ms", "TFLOP/s");
    for (const auto& r : records) {
        const auto& p = r.problem;
        const std::string shape = std::to_string(p.batch) + "x" + std::to_string(p.heads) + "x" +
                                  std::to_string(p.kv_heads) + "x" + std::to_string(p.seq_q) + "x" +
                                  std::to_string(p.seq_k) + "x" + std::to_string(p.head_dim);
        std::fprintf(f, "%-7s %-6s %-5s %-22s %-6s %-12s %10.3f %10.3f %9.1f\n", r.algo.c_str(), r.pass.c_str(),
                    std::string(to_string(p.dtype)).c_str(), shape.c_str(), p.causal ? "yes" : "no", r.tile.c_str(),
                    r.median_ms, r.min_ms, r.tflops);
    }
}

void print_json(std::FILE* f, const std::vector<BenchRecord>& records, const std::string& device_name) {
    std::fprintf(f, "[\n");
    for (std::size_t i = 0; i < records.size(); ++i) {
        const auto& r = records[i];
        const auto& p = r.problem;
        std::fprintf(f,
            "  {\"device\": \"%s\", \"algo\": \"%s\", \"pass\": \"%s\", \"dtype\": \"%s\", \"batch\": %lld, \"heads\": %lld, "
            "\"kv_heads\": %lld, \"seq_q\": %lld, \"seq_k\": %lld, \"head_dim\": %lld, \"causal\": %s, \"tile\": \"%s\", "
            "\"median_ms\": %.6f, \"min_ms\": %.6f, \"tflops\": %.3f, \"hbm_footprint_bytes\": %lld}%s\n",
            device_name.c_str(), r.algo.c_str(), r.pass.c_str(), std::string(to_string(p.dtype)).c_str(),
            static_cast<long long>(p.batch), static_cast<long long>(p.heads), static_cast<long long>(p.kv_heads),
            static_cast<long long>(p.seq_q), static_cast<long long>(p.seq_k), static_cast<long long>(p.head_dim),
            p.causal ? "true" : "false", r.tile.c_str(), r.median_ms, r.min_ms, r.tflops,
            static_cast<long long>(r.device_bytes), i + 1 < records.size() ? "," : "");
    }
    std::fprintf(f, "]\n");
}

}  // namespace

void add_bench_command(CLI::App& app) {
    auto options = std::make_shared<BenchOptions>();
    options->problem.batch = 4;
    options->problem.heads = 16;
    options->problem.kv_heads = 0;
    options->problem.head_dim = 128;
    CLI::App* cmd = app.add_subcommand("bench", "Time the CUDA kernels (CUDA events, median of runs, L2 flushed)");
    cmd->add_option("--batch,-b", options->problem.batch, "batch size")->capture_default_str();
    cmd->add_option("--heads", options->problem.heads, "query heads")->capture_default_str();
    cmd->add_option("--kv-heads", options->problem.kv_heads, "key/value heads (default: heads)");
    cmd->add_option("--seq,-n", options->seq, "query length (and key length unless --seq-k)")->capture_default_str();
    cmd->add_option("--seq-k", options->seq_k, "key length");
    cmd->add_option("--head-dim,-d", options->problem.head_dim, "head dimension")->capture_default_str();
    cmd->add_option("--dtype", options->dtype, "bf16 or fp16")->capture_default_str();
    cmd->add_flag("--causal", options->problem.causal, "causal mask (bottom-right aligned)");
    cmd->add_option("--algo", options->algos, "algorithms (naive flash1 flash2)")->delimiter(',')->capture_default_str();
    cmd->add_option("--pass", options->pass, "fwd, bwd or fwdbwd")->capture_default_str();
    cmd->add_option("--tile", options->tile, "default, all (every built tile) or BMxBNxWARPSxSTAGES")->capture_default_str();
    cmd->add_option("--warmup", options->warmup, "untimed runs")->capture_default_str();
    cmd->add_option("--repeat", options->repeat, "timed runs (median reported)")->capture_default_str()->check(CLI::PositiveNumber);
    cmd->add_flag("--deterministic", options->deterministic, "flash2 backward with ordered dQ accumulation");
    cmd->add_option("--format", options->format, "table or json")->check(CLI::IsMember({"table", "json"}))->capture_default_str();
    cmd->add_option("-o,--out", options->output,
                    "write the results to this file instead of stdout");
    cmd->callback([options] {
        const auto records = run_bench(*options);
        int device = 0;
        cudaDeviceProp props{};
        FLASHSCOPE_CUDA_CHECK(cudaGetDevice(&device));
        FLASHSCOPE_CUDA_CHECK(cudaGetDeviceProperties(&props, device));
        std::FILE* f = stdout;
        const std::string temp = options->output + ".tmp";
        if (!options->output.empty()) {
            f = std::fopen(temp.c_str(), "w");
            if (f == nullptr) throw ConfigError("output", options->output, "must be a writable path");
        }
        if (options->format == "json")
            print_json(f, records, props.name);
        else
            print_table(f, records, props.name);
        if (!options->output.empty()) {
            std::fclose(f);
            if (std::rename(temp.c_str(), options->output.c_str()) != 0)
                throw ConfigError("output", options->output, "could not be renamed into place");
        }
    });
}

}  // namespace flashscope::cli
