#include "plot_inputs.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <set>
#include <sstream>

#include "flashscope/core/error.hpp"
#include "flashscope/sim/simulate.hpp"

namespace flashscope::gui {
namespace {

std::int64_t whole(const SweepRow& row, const std::string& column) {
    const double v = row.number(column);
    if (!std::isfinite(v) || v != std::floor(v))
        throw ConfigError(column, row.at(column),
                          "not a whole number (line " + std::to_string(row.line) + ")");
    return static_cast<std::int64_t>(v);
}

sim::Resource resource_named(const std::string& text) {
    for (int r = 0; r < sim::k_resource_count; ++r)
        if (sim::to_string(sim::Resource(r)) == text) return sim::Resource(r);
    return sim::Resource::latency;
}

// The configuration of a row as a result without kernels, its totals filled in when ok.
sim::Result result_of(const SweepRow& row) {
    sim::Result r;
    r.gpu = row.at("gpu");
    r.algorithm = parse_algorithm(row.at("algo"));
    r.model = sim::parse_model(row.at("model"));
    r.problem.pass = parse_pass(row.at("pass"));
    r.problem.dtype = parse_dtype(row.at("dtype"));
    r.problem.causal = row.at("causal") == "true";
    r.problem.batch = whole(row, "batch");
    r.problem.heads = whole(row, "heads");
    r.problem.kv_heads = whole(row, "kv_heads");
    r.problem.seq_q = whole(row, "seq_q");
    r.problem.seq_k = whole(row, "seq_k");
    r.problem.head_dim = whole(row, "head_dim");
    r.tile = {whole(row, "block_m"), whole(row, "block_n"), whole(row, "warps"),
              whole(row, "stages")};
    if (row.ok()) {
        r.totals = row_metrics(row);
        r.bottleneck = resource_named(row.at("bottleneck"));
        r.fits_hbm = row.at("fits_hbm") == "true";
        // The views count the kernels; a CSV row has only their number.
        r.kernels.resize(static_cast<std::size_t>(whole(row, "kernels")));
    }
    return r;
}

sim::GpuSpec gpu_of(const std::vector<SweepRow>& rows) {
    return sim::resolve_gpu(rows.front().at("gpu"));
}

std::vector<SweepRow> ok_rows(const std::vector<SweepRow>& rows, const std::string& plot) {
    std::vector<SweepRow> ok;
    for (const auto& r : rows)
        if (r.ok()) ok.push_back(r);
    if (ok.empty()) throw ConfigError(plot, "(no row)", "none of the rows simulated (status ok)");
    return ok;
}

std::string tile_label(const SweepRow& row) {
    return row.at("block_m") + "x" + row.at("block_n") + " w" + row.at("warps") + " s" +
           row.at("stages");
}

}  // namespace

Metrics row_metrics(const SweepRow& row) {
    Metrics m;
    m.hbm_read_bytes = whole(row, "hbm_read_bytes");
    m.hbm_write_bytes = whole(row, "hbm_write_bytes");
    m.l2_read_bytes = whole(row, "l2_read_bytes");
    m.l2_write_bytes = whole(row, "l2_write_bytes");
    m.sram_read_bytes = whole(row, "sram_read_bytes");
    m.sram_write_bytes = whole(row, "sram_write_bytes");
    m.flops_matmul = row.number("flops_matmul");
    m.flops_softmax = row.number("flops_softmax");
    m.hbm_footprint_bytes = whole(row, "hbm_footprint_bytes");
    m.time_s = row.number("time_s");
    m.cycles = row.number("cycles");
    return m;
}

TileSweep tile_sweep_from_rows(const std::vector<SweepRow>& rows, std::string* note) {
    require_single_valued(rows, {"block_m", "block_n", "warps", "stages"}, "heatmap");
    TileSweep sweep;
    sweep.model = sim::parse_model(rows.front().at("model"));
    std::set<std::int64_t> ms, ns;
    std::int64_t unplaced = 0;
    for (const auto& row : rows) {
        const std::int64_t m = whole(row, "block_m"), n = whole(row, "block_n");
        if (m <= 0 || n <= 0) {  // a rule-chosen tile that did not simulate: no cell to put it in
            ++unplaced;
            continue;
        }
        ms.insert(m);
        ns.insert(n);
    }
    sweep.block_ms.assign(ms.begin(), ms.end());
    sweep.block_ns.assign(ns.begin(), ns.end());
    std::int64_t folded = 0;
    for (const std::int64_t m : sweep.block_ms) {
        for (const std::int64_t n : sweep.block_ns) {
            TileCell cell;
            cell.block_m = m;
            cell.block_n = n;
            cell.occupancy = std::numeric_limits<double>::quiet_NaN();  // sweeps do not record it
            cell.reason = "not in the sweep";
            int in_cell = 0;
            for (const auto& row : rows) {
                if (whole(row, "block_m") != m || whole(row, "block_n") != n) continue;
                ++in_cell;
                if (!row.ok()) {
                    if (!cell.feasible) cell.reason = row.at("reason");
                    continue;
                }
                const Metrics totals = row_metrics(row);
                if (cell.feasible && totals.time_s >= cell.totals.time_s) continue;
                cell.feasible = true;
                cell.reason.clear();
                cell.totals = totals;
                cell.resolved = {m, n, whole(row, "warps"), whole(row, "stages")};
                cell.bottleneck = row.at("bottleneck");
            }
            folded += std::max(0, in_cell - 1);
            sweep.cells.push_back(std::move(cell));
        }
    }
    if (note) {
        note->clear();
        if (folded > 0)
            *note = std::to_string(folded) +
                    " rows share a cell with a faster one (warps, stages): each cell shows the "
                    "fastest";
        if (unplaced > 0)
            *note += (note->empty() ? "" : "; ") + std::to_string(unplaced) +
                     " rows without a tile left out";
    }
    return sweep;
}

ScalingSweep scaling_from_rows(const std::vector<SweepRow>& rows) {
    require_single_valued(rows, {"algo", "seq_q", "seq_k", "block_m", "block_n", "warps", "stages"},
                          "scaling");
    ScalingSweep sweep;
    std::set<std::int64_t> seqs;
    for (const auto& row : rows) {
        if (whole(row, "seq_q") != whole(row, "seq_k"))
            throw ConfigError("scaling", "seq_q " + row.at("seq_q") + ", seq_k " + row.at("seq_k"),
                              "needs seq_q = seq_k (line " + std::to_string(row.line) + ")");
        seqs.insert(whole(row, "seq_q"));
    }
    sweep.seqs.assign(seqs.begin(), seqs.end());
    sweep.algorithms = all_algorithms();
    sweep.totals.assign(sweep.algorithms.size(),
                        std::vector<std::optional<Metrics>>(sweep.seqs.size()));
    for (const auto& row : rows) {
        const auto a = parse_algorithm(row.at("algo")).index();
        const auto i = std::find(sweep.seqs.begin(), sweep.seqs.end(), whole(row, "seq_q")) -
                       sweep.seqs.begin();
        auto& slot = sweep.totals[static_cast<std::size_t>(a)][static_cast<std::size_t>(i)];
        if (slot)
            throw ConfigError("scaling", row.at("algo") + " at seq " + row.at("seq_q"),
                              "given twice");
        if (row.ok()) slot = row_metrics(row);
        if (row.ok() && row.at("algo") == "naive" && row.at("fits_hbm") == "false" &&
            (sweep.naive_limit_seq == 0 || whole(row, "seq_q") < sweep.naive_limit_seq))
            sweep.naive_limit_seq = whole(row, "seq_q");
    }
    sweep.hbm_capacity_bytes = gpu_of(rows).hbm_size_bytes;
    return sweep;
}

RooflineInput roofline_from_rows(const std::vector<SweepRow>& all) {
    const std::vector<SweepRow> rows = ok_rows(all, "roofline");
    require_single_valued(rows,
                          {"algo", "model", "pass", "causal", "batch", "heads", "kv_heads", "seq_q",
                           "seq_k", "head_dim", "block_m", "block_n", "warps", "stages"},
                          "roofline");  // one GPU and dtype: one set of roofs
    RooflineInput in;
    in.gpu = gpu_of(rows);
    // Points are labelled by what differs between rows of one algorithm (the colour says which).
    std::map<std::string, std::vector<std::string>> varying;
    std::map<std::string, std::vector<SweepRow>> by_algorithm;
    for (const auto& row : rows) by_algorithm[row.at("algo")].push_back(row);
    for (const auto& [algo, group] : by_algorithm)
        for (auto& [column, values] : varying_columns(group, {"algo"})) varying[column] = values;
    for (const auto& row : rows) {
        sim::Result r = result_of(row);
        std::string label;
        for (const auto& [column, values] : varying) {
            if (column == "block_m" || column == "block_n" || column == "warps" ||
                column == "stages")
                continue;
            label += (label.empty() ? "" : " ") + column + " " + row.at(column);
        }
        if (varying.count("block_m") || varying.count("block_n") || varying.count("warps") ||
            varying.count("stages"))
            label += (label.empty() ? "" : " ") + tile_label(row);
        r.kernels.clear();
        if (row.kernels.empty()) {  // CSV: the row's totals as one point
            sim::KernelResult k;
            k.name = label.empty() ? row.at("algo") : label;
            k.metrics = r.totals;
            k.bottleneck = r.bottleneck;
            r.kernels = {k};
        } else {  // JSON lines: each kernel, as the GUI draws them
            for (const auto& fields : row.kernels) {
                SweepRow kernel_row{row.line, fields, {}};
                kernel_row.cells["hbm_footprint_bytes"] = "0";  // a kernel has none of its own
                sim::KernelResult k;
                k.name = (label.empty() ? "" : label + " ") + kernel_row.at("name");
                k.metrics = row_metrics(kernel_row);
                k.bottleneck = resource_named(kernel_row.at("bottleneck"));
                r.kernels.push_back(std::move(k));
            }
        }
        in.results.push_back(std::move(r));
    }
    return in;
}

MemoryHierarchyInput memory_hierarchy_from_rows(const std::vector<SweepRow>& all) {
    const std::vector<SweepRow> rows = ok_rows(all, "memory");
    require_single_valued(rows, {"algo", "block_m", "block_n", "warps", "stages"}, "memory");
    const SweepRow* naive = nullptr;
    const SweepRow* tiled = nullptr;
    for (const auto& row : rows) {
        const SweepRow*& slot = row.at("algo") == "naive" ? naive : tiled;
        if (slot)
            throw ConfigError(
                "memory", row.at("algo"),
                "needs one naive row and one tiled row; pick the tile with --where block_m=...");
        slot = &row;
    }
    if (!naive || !tiled)
        throw ConfigError("memory", naive ? "naive only" : "no naive row",
                          "needs one naive and one flash1/flash2 row of the same problem");
    return {gpu_of(rows), result_of(*naive), result_of(*tiled)};
}

std::vector<sim::TimelineSample> timeline_from_csv(const std::string& path,
                                                   const std::vector<RowFilter>& filters,
                                                   std::string* algorithm) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw ConfigError("input", path, "cannot open the file");
    std::ostringstream text;
    text << in.rdbuf();
    const SweepTable table =
        parse_csv_rows(text.str(), path, {"algo", "kernel", "t_begin_s", "t_end_s"},
                       "flashscope simulate --timeline FILE.csv");
    const std::vector<SweepRow> rows = filter_rows(table, filters);
    std::set<std::string> algorithms;
    std::vector<sim::TimelineSample> samples;
    for (const auto& row : rows) {
        algorithms.insert(row.at("algo"));
        sim::TimelineSample s;
        s.kernel = row.at("kernel");
        s.t_begin_s = row.number("t_begin_s");
        s.t_end_s = row.number("t_end_s");
        for (int r = 0; r < sim::k_resource_count - 1; ++r)
            s.utilization[std::size_t(r)] =
                row.number(std::string(sim::to_string(sim::Resource(r))));
        samples.push_back(std::move(s));
    }
    if (algorithms.size() > 1) {
        std::string names;
        for (const auto& a : algorithms) names += (names.empty() ? "" : ", ") + a;
        throw ConfigError(
            "timeline", names,
            "the file holds several algorithms; keep one with --where algo=" + *algorithms.begin());
    }
    if (algorithm) *algorithm = *algorithms.begin();
    return samples;
}

}  // namespace flashscope::gui
