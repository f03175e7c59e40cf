#include "result_table.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>

namespace flashscope::cli {
namespace {

std::string printf_text(const char* fmt, double v, const char* unit) {
    char buf[64];
    std::snprintf(buf, sizeof buf, fmt, v, unit);
    return buf;
}

std::string pad(const std::string& s, std::size_t width, bool left) {
    if (s.size() >= width) return s;
    return left ? s + std::string(width - s.size(), ' ') : std::string(width - s.size(), ' ') + s;
}

}  // namespace

std::string format_bytes(double b) {
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
    int u = 0;
    while (std::abs(b) >= 1024 && u < 5) {
        b /= 1024;
        ++u;
    }
    return printf_text(u == 0 ? "%.0f %s" : "%.2f %s", b, units[u]);
}

std::string format_seconds(double s) {
    if (s >= 1) return printf_text("%.3f %s", s, "s");
    if (s >= 1e-3) return printf_text("%.3f %s", s * 1e3, "ms");
    return printf_text("%.1f %s", s * 1e6, "us");
}

std::string format_count(double v) {
    const char* prefixes[] = {"", " k", " M", " G", " T", " P", " E"};
    int p = 0;
    while (std::abs(v) >= 1000 && p < 6) {
        v /= 1000;
        ++p;
    }
    return printf_text(p == 0 ? "%.0f%s" : "%.2f%s", v, prefixes[p]);
}

std::string result_table(const std::vector<sim::Result>& results, const sim::GpuSpec& gpu) {
    if (results.empty()) return {};
    const AttentionProblem& p = results.front().problem;
    std::string out;
    out += "flashscope simulate: " + gpu.name + " (" + gpu.description + "), " +
           std::string(to_string(results.front().model)) + " model\n";
    out += "problem: batch " + std::to_string(p.batch) + " x heads " + std::to_string(p.heads) +
           " (kv " + std::to_string(p.kv_heads) + ") x seq " + std::to_string(p.seq_q) + "/" +
           std::to_string(p.seq_k) + " x d " + std::to_string(p.head_dim) + ", " +
           std::string(to_string(p.dtype)) + ", " + (p.causal ? "causal" : "non-causal") + ", " +
           std::string(to_string(p.pass)) + "\n\n";

    using Row = std::function<std::string(const sim::Result&)>;
    using Ratio = std::function<double(const sim::Result&)>;
    struct Line {
        const char* label;
        Row text;
        Ratio value;  // for the ratio column; null when a ratio makes no sense
    };
    auto bytes = [](auto field) {
        return Line{nullptr,
                    [field](const sim::Result& r) { return format_bytes(double(field(r.totals))); },
                    [field](const sim::Result& r) { return double(field(r.totals)); }};
    };
    std::vector<Line> lines;
    auto add = [&](const char* label, Line line) {
        line.label = label;
        lines.push_back(std::move(line));
    };
    add("tile (m x n, warps, stages)",
        {nullptr,
         [](const sim::Result& r) {
             return std::to_string(r.tile.block_m) + "x" + std::to_string(r.tile.block_n) + " w" +
                    std::to_string(r.tile.warps) + " s" + std::to_string(r.tile.stages);
         },
         nullptr});
    add("HBM read", bytes([](const Metrics& m) { return m.hbm_read_bytes; }));
    add("HBM write", bytes([](const Metrics& m) { return m.hbm_write_bytes; }));
    add("L2 read (SM<-L2)", bytes([](const Metrics& m) { return m.l2_read_bytes; }));
    add("L2 write (SM->L2)", bytes([](const Metrics& m) { return m.l2_write_bytes; }));
    add("SRAM read", bytes([](const Metrics& m) { return m.sram_read_bytes; }));
    add("SRAM write", bytes([](const Metrics& m) { return m.sram_write_bytes; }));
    add("FLOP matmul",
        {nullptr, [](const sim::Result& r) { return format_count(r.totals.flops_matmul); },
         [](const sim::Result& r) { return r.totals.flops_matmul; }});
    add("FLOP softmax",
        {nullptr, [](const sim::Result& r) { return format_count(r.totals.flops_softmax); },
         [](const sim::Result& r) { return r.totals.flops_softmax; }});
    add("HBM footprint", bytes([](const Metrics& m) { return m.hbm_footprint_bytes; }));
    add("L2 dirty at end",
        {nullptr,
         [](const sim::Result& r) { return format_bytes(double(r.l2_dirty_at_end_bytes)); },
         nullptr});
    add("time", {nullptr, [](const sim::Result& r) { return format_seconds(r.totals.time_s); },
                 [](const sim::Result& r) { return r.totals.time_s; }});
    add("TFLOP/s (matmul)", {nullptr,
                             [](const sim::Result& r) {
                                 return printf_text(
                                     "%.0f%s", r.totals.flops_matmul / r.totals.time_s / 1e12, "");
                             },
                             nullptr});
    add("bottleneck",
        {nullptr, [](const sim::Result& r) { return std::string(to_string(r.bottleneck)); },
         nullptr});
    add("fits in HBM",
        {nullptr, [](const sim::Result& r) { return std::string(r.fits_hbm ? "yes" : "NO"); },
         nullptr});

    const bool ratio = results.size() == 2;
    const std::size_t label_w = 28, col_w = 18;
    out += pad("", label_w, true);
    for (const auto& r : results) out += pad(std::string(to_string(r.algorithm)), col_w, false);
    if (ratio)
        out += pad(std::string(to_string(results[0].algorithm)) + "/" +
                       std::string(to_string(results[1].algorithm)),
                   col_w, false);
    out += "\n";
    for (const Line& line : lines) {
        out += pad(line.label, label_w, true);
        for (const auto& r : results) out += pad(line.text(r), col_w, false);
        if (ratio && line.value) {
            const double a = line.value(results[0]), b = line.value(results[1]);
            out += pad(b > 0 ? printf_text("%.2f%s", a / b, "x") : std::string("-"), col_w, false);
        }
        out += "\n";
    }
    out += "\nkernels:\n";
    for (const auto& r : results) {
        for (const auto& k : r.kernels) {
            char buf[256];
            const std::string limit = "(" + k.occupancy_limit + ")";
            std::snprintf(
                buf, sizeof buf, "  %-7s %-22s %10s  %3lld CTA/SM %-11s %8.2f waves  %s-bound\n",
                std::string(to_string(r.algorithm)).c_str(), k.name.c_str(),
                format_seconds(k.metrics.time_s).c_str(), static_cast<long long>(k.ctas_per_sm),
                limit.c_str(), k.waves, std::string(to_string(k.bottleneck)).c_str());
            out += buf;
        }
    }
    return out;
}

}  // namespace flashscope::cli
