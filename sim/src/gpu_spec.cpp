#include "flashscope/sim/gpu_spec.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include "flashscope/core/error.hpp"

namespace flashscope::sim {

double GpuSpec::tensor_flops_per_clk(DType dtype) const {
    switch (dtype) {
        case DType::fp16:
            return tensor_flops_per_clk_fp16;
        case DType::bf16:
            return tensor_flops_per_clk_bf16;
        case DType::fp32:
            return tensor_flops_per_clk_fp32;
    }
    return tensor_flops_per_clk_fp16;
}

double GpuSpec::l2_seconds(double sm_reads, double sm_writes, double fills) const {
    return std::max(sm_reads / l2_bytes_per_s(),
                    (sm_writes + fills) / (l2_write_bytes_per_clk * sm_clock_hz));
}

double GpuSpec::hbm_seconds(double read_bytes, double write_bytes) const {
    const double separate = read_bytes / hbm_bytes_per_s + write_bytes / hbm_write_bytes_per_s;
    const double total = read_bytes + write_bytes;
    if (!(total > 0)) return 0;
    // The copy benchmark's loss over separate streams, applied in proportion to how evenly the
    // bytes mix (1 for half and half, 0 for one direction only).
    const double half = 0.5 / hbm_bytes_per_s + 0.5 / hbm_write_bytes_per_s;
    const double loss = std::max(0.0, 1 / hbm_copy_bytes_per_s / half - 1);
    const double mixing = 2 * std::min(read_bytes, write_bytes) / total;
    return separate * (1 + loss * mixing);
}

void GpuSpec::validate() const {
    auto positive = [&](const char* key, double v) {
        if (!(v > 0) || !std::isfinite(v))
            throw ConfigError(key, std::to_string(v), "must be > 0 (gpu " + name + ")");
    };
    positive("sm_count", double(sm_count));
    positive("sm_clock_mhz", sm_clock_hz);
    positive("registers_per_sm", double(registers_per_sm));
    positive("max_registers_per_thread", double(max_registers_per_thread));
    positive("max_threads_per_sm", double(max_threads_per_sm));
    positive("max_threads_per_cta", double(max_threads_per_cta));
    positive("max_ctas_per_sm", double(max_ctas_per_sm));
    positive("sram_per_sm_kib", double(sram_per_sm_bytes));
    positive("sram_per_block_kib", double(sram_per_block_bytes));
    positive("sram_bytes_per_clk_per_sm", sram_bytes_per_clk_per_sm);
    positive("l2_line_bytes", double(l2_line_bytes));
    positive("l2_sector_bytes", double(l2_sector_bytes));
    positive("l2_bytes_per_clk", l2_bytes_per_clk);
    positive("l2_write_bytes_per_clk", l2_write_bytes_per_clk);
    positive("hbm_size_gib", double(hbm_size_bytes));
    positive("hbm_bandwidth_gbps", hbm_bytes_per_s);
    positive("hbm_write_bandwidth_gbps", hbm_write_bytes_per_s);
    positive("hbm_copy_bandwidth_gbps", hbm_copy_bytes_per_s);
    positive("mma_one_warp_flops_per_clk_per_sm", mma_one_warp_flops_per_clk);
    positive("hbm_latency_ns", hbm_latency_s);
    positive("tensor_flops_per_clk_per_sm.fp16", tensor_flops_per_clk_fp16);
    positive("tensor_flops_per_clk_per_sm.bf16", tensor_flops_per_clk_bf16);
    positive("tensor_flops_per_clk_per_sm.fp32", tensor_flops_per_clk_fp32);
    positive("fp32_flops_per_clk_per_sm", fp32_flops_per_clk);
    positive("sfu_ops_per_clk_per_sm", sfu_ops_per_clk);
    positive("smsp_per_sm", double(smsp_per_sm));
    positive("issue_per_clk_per_smsp", issue_per_clk_per_smsp);
    positive("alu_ops_per_clk_per_sm", alu_ops_per_clk);
    positive("cvt_ops_per_clk_per_sm", cvt_ops_per_clk);
    positive("shfl_ops_per_clk_per_sm", shfl_ops_per_clk);
    positive("fp32_latency_cycles", fp32_latency_cycles);
    positive("mufu_latency_cycles", mufu_latency_cycles);
    positive("mma_latency_cycles", mma_latency_cycles);
    positive("ldmatrix_latency_cycles", ldmatrix_latency_cycles);
    positive("shfl_latency_cycles", shfl_latency_cycles);
    positive("barrier_cycles", barrier_cycles);
    positive("l2_atomic_bytes_per_clk", l2_atomic_bytes_per_clk);
    // wgmma: both 0 (no wgmma) or both positive.
    if (!(wgmma_flops_per_clk >= 0) || !std::isfinite(wgmma_flops_per_clk))
        throw ConfigError("wgmma_flops_per_clk_per_sm", std::to_string(wgmma_flops_per_clk),
                          "must be >= 0 (0: no wgmma) (gpu " + name + ")");
    for (const auto& [key, v] : {std::pair{"wgmma_latency_cycles", wgmma_latency_cycles},
                                 std::pair{"mbarrier_wait_cycles", mbarrier_wait_cycles}}) {
        if (!(v >= 0) || !std::isfinite(v))
            throw ConfigError(key, std::to_string(v), "must be >= 0 (gpu " + name + ")");
        if (has_wgmma() && !(v > 0))
            throw ConfigError(key, std::to_string(v),
                              "must be > 0 where wgmma_flops_per_clk_per_sm is (gpu " + name + ")");
    }
    for (const auto& [key, v] : {std::pair{"wgmma_fma_hidden_share", wgmma_fma_hidden_share},
                                 std::pair{"mma_fma_hidden_share", mma_fma_hidden_share}})
        if (!(v >= 0 && v <= 1))
            throw ConfigError(key, std::to_string(v), "must be in [0, 1] (gpu " + name + ")");
    const std::pair<const char*, double> rate_shares[] = {
        {"wgmma_fma_rate_share", wgmma_fma_rate_share},
        {"wgmma_mufu_rate_share", wgmma_mufu_rate_share},
        {"wgmma_alu_rate_share", wgmma_alu_rate_share}};
    for (const auto& [key, v] : rate_shares)
        if (!(v > 0 && v <= 1))
            throw ConfigError(key, std::to_string(v), "must be in (0, 1] (gpu " + name + ")");
    for (const auto& [key, v] :
         {std::pair{"l2_sm_read_bytes_per_clk", l2_sm_read_bytes_per_clk},
          std::pair{"l2_sm_write_bytes_per_clk", l2_sm_write_bytes_per_clk},
          std::pair{"l2_sm_reduce_bytes_per_clk", l2_sm_reduce_bytes_per_clk},
          std::pair{"l2_sm_line_read_bytes_per_clk", l2_sm_line_read_bytes_per_clk},
          std::pair{"l2_warp_load_cycles", l2_warp_load_cycles},
          std::pair{"l2_atomic_latency_cycles", l2_atomic_latency_cycles},
          std::pair{"l2_sm_bulk_reduce_bytes_per_clk", l2_sm_bulk_reduce_bytes_per_clk}})
        if (!(v >= 0) || !std::isfinite(v))
            throw ConfigError(key, std::to_string(v),
                              "must be finite and >= 0 (0: not modelled) (gpu " + name + ")");
    if (l2_size_bytes < 0)
        throw ConfigError("l2_size_mib", std::to_string(l2_size_bytes), "must be >= 0");
    if (l2_resident_bytes < 0)
        throw ConfigError("l2_resident_mib", std::to_string(l2_resident_bytes / (1 << 20)),
                          "must be >= 0 (gpu " + name + ")");
    if (l2_resident_updated_bytes < 0 || l2_resident_updated_bytes > l2_resident_bytes)
        throw ConfigError("l2_resident_updated_mib",
                          std::to_string(l2_resident_updated_bytes / (1 << 20)),
                          "must be >= 0 and <= l2_resident_mib (gpu " + name + ")");
    if (l2_dirty_limit_bytes < 0)
        throw ConfigError("l2_dirty_limit_mib", std::to_string(l2_dirty_limit_bytes),
                          "must be >= 0");
    if (!(kernel_launch_s >= 0))
        throw ConfigError("kernel_launch_us", std::to_string(kernel_launch_s * 1e6),
                          "must be >= 0");
    if (!(l2_latency_cycles >= 0) || !std::isfinite(l2_latency_cycles))
        throw ConfigError("l2_latency_cycles", std::to_string(l2_latency_cycles),
                          "must be finite and >= 0");
    if (!std::isfinite(kernel_launch_s))
        throw ConfigError("kernel_launch_us", std::to_string(kernel_launch_s * 1e6),
                          "must be finite");
    if (!(cta_launch_s >= 0) || !std::isfinite(cta_launch_s))
        throw ConfigError("cta_launch_ns", std::to_string(cta_launch_s * 1e9),
                          "must be finite and >= 0 (0: not modelled) (gpu " + name + ")");
    // Far beyond any GPU, and small enough that the simulator's products of them (SMs x CTAs,
    // cache capacity + a tile) stay inside 64 bits.
    auto at_most = [&](const char* key, std::int64_t value, std::int64_t limit, std::int64_t unit) {
        if (value > limit)
            throw ConfigError(key, std::to_string(value / unit),
                              "must be <= " + std::to_string(limit / unit) + " (gpu " + name + ")");
    };
    constexpr std::int64_t k_small = std::int64_t{1} << 16, k_kib = 1024, k_mib = k_kib * 1024;
    at_most("sm_count", sm_count, k_small, 1);
    at_most("smsp_per_sm", smsp_per_sm, 64, 1);
    at_most("registers_per_sm", registers_per_sm, std::int64_t{1} << 24, 1);
    at_most("max_registers_per_thread", max_registers_per_thread, k_small, 1);
    at_most("max_threads_per_sm", max_threads_per_sm, k_small, 1);
    at_most("max_threads_per_cta", max_threads_per_cta, k_small, 1);
    at_most("max_ctas_per_sm", max_ctas_per_sm, k_small, 1);
    at_most("sram_per_sm_kib", sram_per_sm_bytes, std::int64_t{1} << 40, k_kib);
    at_most("l2_size_mib", l2_size_bytes, std::int64_t{1} << 50, k_mib);
    at_most("l2_resident_mib", l2_resident_bytes, std::int64_t{1} << 50, k_mib);
    at_most("l2_resident_updated_mib", l2_resident_updated_bytes, std::int64_t{1} << 50, k_mib);
    at_most("l2_dirty_limit_mib", l2_dirty_limit_bytes, std::int64_t{1} << 50, k_mib);
    at_most("l2_line_bytes", l2_line_bytes, k_small, 1);
    at_most("l2_sector_bytes", l2_sector_bytes, k_small, 1);
    at_most("hbm_size_gib", hbm_size_bytes, std::int64_t{1} << 60, k_mib * k_kib);
    if (sram_per_block_bytes > sram_per_sm_bytes)
        throw ConfigError(
            "sram_per_block_kib", std::to_string(sram_per_block_bytes / 1024),
            "must be <= sram_per_sm_kib (" + std::to_string(sram_per_sm_bytes / 1024) + ")");
}

namespace {

constexpr double k_kib = 1024.0, k_mib = k_kib * 1024, k_gib = k_mib * 1024;

double number(const YAML::Node& node, const std::string& key, std::string_view origin) {
    try {
        return node.as<double>();
    } catch (const YAML::Exception&) {
        throw ConfigError(std::string(origin) + ": " + key, YAML::Dump(node), "must be a number");
    }
}

// A key or a text value: a YAML scalar (not a list, a mapping or nothing).
std::string scalar(const YAML::Node& node, const std::string& key, std::string_view origin) {
    if (!node.IsScalar())
        throw ConfigError(std::string(origin) + ": " + key,
                          node.IsNull() ? "(empty)" : YAML::Dump(node), "must be a single value");
    return node.Scalar();
}

// Rounds to an integer; values beyond +-2^62 (and NaN) saturate so that validate() names the key.
std::int64_t whole(double v, double scale) {
    const double x = v * scale;
    constexpr double k_limit = 4611686018427387904.0;  // 2^62
    if (!(x > -k_limit)) return INT64_MIN;
    if (!(x < k_limit)) return INT64_MAX;
    return static_cast<std::int64_t>(std::llround(x));
}

}  // namespace

GpuSpec parse_gpu_yaml(std::string_view text, std::string_view origin) {
    YAML::Node root;
    try {
        root = YAML::Load(std::string(text));
    } catch (const YAML::Exception& e) {
        throw ConfigError(std::string(origin), "line " + std::to_string(e.mark.line + 1),
                          "is not valid YAML: " + e.msg);
    }
    if (!root.IsMap()) throw ConfigError(std::string(origin), "document", "must be a YAML mapping");

    GpuSpec g;
    using Setter = std::function<void(double)>;
    const std::map<std::string, Setter> numeric = {
        {"sm_count", [&](double v) { g.sm_count = whole(v, 1); }},
        {"sm_clock_mhz", [&](double v) { g.sm_clock_hz = v * 1e6; }},
        {"registers_per_sm", [&](double v) { g.registers_per_sm = whole(v, 1); }},
        {"max_registers_per_thread", [&](double v) { g.max_registers_per_thread = whole(v, 1); }},
        {"max_threads_per_sm", [&](double v) { g.max_threads_per_sm = whole(v, 1); }},
        {"max_threads_per_cta", [&](double v) { g.max_threads_per_cta = whole(v, 1); }},
        {"max_ctas_per_sm", [&](double v) { g.max_ctas_per_sm = whole(v, 1); }},
        {"sram_per_sm_kib", [&](double v) { g.sram_per_sm_bytes = whole(v, k_kib); }},
        {"sram_per_block_kib", [&](double v) { g.sram_per_block_bytes = whole(v, k_kib); }},
        {"sram_bytes_per_clk_per_sm", [&](double v) { g.sram_bytes_per_clk_per_sm = v; }},
        {"l2_size_mib", [&](double v) { g.l2_size_bytes = whole(v, k_mib); }},
        {"l2_resident_mib", [&](double v) { g.l2_resident_bytes = whole(v, k_mib); }},
        {"l2_resident_updated_mib",
         [&](double v) { g.l2_resident_updated_bytes = whole(v, k_mib); }},
        {"l2_dirty_limit_mib", [&](double v) { g.l2_dirty_limit_bytes = whole(v, k_mib); }},
        {"l2_line_bytes", [&](double v) { g.l2_line_bytes = whole(v, 1); }},
        {"l2_sector_bytes", [&](double v) { g.l2_sector_bytes = whole(v, 1); }},
        {"l2_bytes_per_clk", [&](double v) { g.l2_bytes_per_clk = v; }},
        {"l2_write_bytes_per_clk", [&](double v) { g.l2_write_bytes_per_clk = v; }},
        {"l2_latency_cycles", [&](double v) { g.l2_latency_cycles = v; }},
        {"hbm_size_gib", [&](double v) { g.hbm_size_bytes = whole(v, k_gib); }},
        {"hbm_bandwidth_gbps", [&](double v) { g.hbm_bytes_per_s = v * 1e9; }},
        {"hbm_write_bandwidth_gbps", [&](double v) { g.hbm_write_bytes_per_s = v * 1e9; }},
        {"hbm_copy_bandwidth_gbps", [&](double v) { g.hbm_copy_bytes_per_s = v * 1e9; }},
        {"mma_one_warp_flops_per_clk_per_sm", [&](double v) { g.mma_one_warp_flops_per_clk = v; }},
        {"hbm_latency_ns", [&](double v) { g.hbm_latency_s = v * 1e-9; }},
        {"kernel_launch_us", [&](double v) { g.kernel_launch_s = v * 1e-6; }},
        {"cta_launch_ns", [&](double v) { g.cta_launch_s = v * 1e-9; }},
        {"fp32_flops_per_clk_per_sm", [&](double v) { g.fp32_flops_per_clk = v; }},
        {"sfu_ops_per_clk_per_sm", [&](double v) { g.sfu_ops_per_clk = v; }},
        {"smsp_per_sm", [&](double v) { g.smsp_per_sm = whole(v, 1); }},
        {"issue_per_clk_per_smsp", [&](double v) { g.issue_per_clk_per_smsp = v; }},
        {"alu_ops_per_clk_per_sm", [&](double v) { g.alu_ops_per_clk = v; }},
        {"cvt_ops_per_clk_per_sm", [&](double v) { g.cvt_ops_per_clk = v; }},
        {"shfl_ops_per_clk_per_sm", [&](double v) { g.shfl_ops_per_clk = v; }},
        {"fp32_latency_cycles", [&](double v) { g.fp32_latency_cycles = v; }},
        {"mufu_latency_cycles", [&](double v) { g.mufu_latency_cycles = v; }},
        {"mma_latency_cycles", [&](double v) { g.mma_latency_cycles = v; }},
        {"mma_fma_hidden_share", [&](double v) { g.mma_fma_hidden_share = v; }},
        {"ldmatrix_latency_cycles", [&](double v) { g.ldmatrix_latency_cycles = v; }},
        {"shfl_latency_cycles", [&](double v) { g.shfl_latency_cycles = v; }},
        {"barrier_cycles", [&](double v) { g.barrier_cycles = v; }},
        {"l2_atomic_bytes_per_clk", [&](double v) { g.l2_atomic_bytes_per_clk = v; }},
        {"l2_sm_read_bytes_per_clk", [&](double v) { g.l2_sm_read_bytes_per_clk = v; }},
        {"l2_sm_write_bytes_per_clk", [&](double v) { g.l2_sm_write_bytes_per_clk = v; }},
        {"l2_sm_reduce_bytes_per_clk", [&](double v) { g.l2_sm_reduce_bytes_per_clk = v; }},
        {"l2_sm_line_read_bytes_per_clk", [&](double v) { g.l2_sm_line_read_bytes_per_clk = v; }},
        {"l2_warp_load_cycles", [&](double v) { g.l2_warp_load_cycles = v; }},
        {"l2_atomic_latency_cycles", [&](double v) { g.l2_atomic_latency_cycles = v; }},
        {"l2_sm_bulk_reduce_bytes_per_clk",
         [&](double v) { g.l2_sm_bulk_reduce_bytes_per_clk = v; }},
        {"wgmma_flops_per_clk_per_sm", [&](double v) { g.wgmma_flops_per_clk = v; }},
        {"wgmma_latency_cycles", [&](double v) { g.wgmma_latency_cycles = v; }},
        {"wgmma_fma_hidden_share", [&](double v) { g.wgmma_fma_hidden_share = v; }},
        {"wgmma_fma_rate_share", [&](double v) { g.wgmma_fma_rate_share = v; }},
        {"wgmma_mufu_rate_share", [&](double v) { g.wgmma_mufu_rate_share = v; }},
        {"wgmma_alu_rate_share", [&](double v) { g.wgmma_alu_rate_share = v; }},
        {"mbarrier_wait_cycles", [&](double v) { g.mbarrier_wait_cycles = v; }},
    };
    const std::map<std::string, Setter> tensor = {
        {"fp16", [&](double v) { g.tensor_flops_per_clk_fp16 = v; }},
        {"bf16", [&](double v) { g.tensor_flops_per_clk_bf16 = v; }},
        {"fp32", [&](double v) { g.tensor_flops_per_clk_fp32 = v; }},
    };
    const std::string where(origin);
    std::set<std::string> seen;
    for (const auto& kv : root) {
        const auto key = scalar(kv.first, "key", origin);
        if (!seen.insert(key).second)
            throw ConfigError(where + ": " + key, "twice", "a key may appear once");
        if (key == "name") {
            g.name = scalar(kv.second, key, origin);
        } else if (key == "description") {
            g.description = scalar(kv.second, key, origin);
        } else if (key == "tensor_flops_per_clk_per_sm") {
            if (!kv.second.IsMap())
                throw ConfigError(where + ": " + key, YAML::Dump(kv.second),
                                  "must map fp16/bf16/fp32 to numbers");
            std::set<std::string> dtypes;
            for (const auto& t : kv.second) {
                const auto dtype = scalar(t.first, key + " key", origin);
                const auto it = tensor.find(dtype);
                if (it == tensor.end())
                    throw ConfigError(where + ": " + key + "." + dtype, "unknown key",
                                      "expected fp16, bf16, fp32");
                if (!dtypes.insert(dtype).second)
                    throw ConfigError(where + ": " + key + "." + dtype, "twice",
                                      "a key may appear once");
                it->second(number(t.second, key + "." + dtype, origin));
            }
            for (const auto& [dtype, setter] : tensor) {
                if (!dtypes.count(dtype))
                    throw ConfigError(where + ": " + key + "." + dtype, "missing", "required key");
            }
        } else if (const auto it = numeric.find(key); it != numeric.end()) {
            it->second(number(kv.second, key, origin));
        } else {
            throw ConfigError(where + ": " + key, "unknown key",
                              "not part of the GPU schema (see configs/gpus/h100-sxm5.yaml)");
        }
    }
    for (const char* required : {"name", "tensor_flops_per_clk_per_sm"}) {
        if (!seen.count(required))
            throw ConfigError(where + ": " + required, "missing", "required key");
    }
    for (const auto& [key, setter] : numeric) {
        if (!seen.count(key)) throw ConfigError(where + ": " + key, "missing", "required key");
    }
    g.validate();
    return g;
}

GpuSpec load_gpu_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw ConfigError("gpu", path, "file cannot be opened");
    std::stringstream text;
    text << in.rdbuf();
    return parse_gpu_yaml(text.str(), path);
}

GpuSpec gpu_preset(std::string_view name) {
    return parse_gpu_yaml(gpu_preset_yaml(name), name);
}

GpuSpec resolve_gpu(const std::string& name_or_path) {
    const auto ends_with = [&](std::string_view suffix) {
        return name_or_path.size() >= suffix.size() &&
               name_or_path.compare(name_or_path.size() - suffix.size(), suffix.size(), suffix) ==
                   0;
    };
    if (ends_with(".yaml") || ends_with(".yml")) return load_gpu_file(name_or_path);
    return gpu_preset(name_or_path);
}

}  // namespace flashscope::sim
