#include "flashscope/ceilings/preset_writer.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <ctime>
#include <set>

#include "flashscope/core/error.hpp"

namespace flashscope::ceilings {

namespace {

constexpr std::string_view k_tensor = "tensor_flops_per_clk_per_sm";
constexpr std::size_t k_comment_column = 37;  // as in configs/gpus/h200-sxm.yaml

// The line above the first key of a group, as the committed presets have it.
std::string group_comment(const std::string& key) {
    if (key == "smsp_per_sm") return "# SM issue model (sim/src/sm_issue_model.cpp)";
    return {};
}

std::string with_comment(std::string line, const std::string& comment) {
    if (comment.empty()) return line;
    line.append(line.size() < k_comment_column ? k_comment_column - line.size() : 1, ' ');
    return line + "# " + comment;
}

bool plain_word(const std::string& s) {
    if (s.empty()) return false;
    for (const char c : s) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                        (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
        if (!ok) return false;
    }
    return true;
}

// A comment or description is one line: a newline would end the comment and start YAML.
std::string one_line(const std::string& field, const std::string& text) {
    if (text.find_first_of("\r\n") != std::string::npos)
        throw ConfigError(field, text, "must be one line");
    return text;
}

// Descriptions are written double-quoted so that ':' or '#' in a device's name stays text.
std::string quoted(const std::string& text) {
    std::string out = "\"";
    for (const char c : text) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

}  // namespace

const std::vector<std::string>& preset_keys() {
    static const std::vector<std::string> keys = {
        "sm_count",
        "sm_clock_mhz",
        "registers_per_sm",
        "max_registers_per_thread",
        "max_threads_per_sm",
        "max_threads_per_cta",
        "max_ctas_per_sm",
        "sram_per_sm_kib",
        "sram_per_block_kib",
        "sram_bytes_per_clk_per_sm",
        "l2_size_mib",
        "l2_resident_mib",
        "l2_resident_updated_mib",
        "l2_dirty_limit_mib",
        "l2_line_bytes",
        "l2_sector_bytes",
        "l2_bytes_per_clk",
        "l2_write_bytes_per_clk",
        "l2_latency_cycles",
        "l2_sm_read_bytes_per_clk",
        "l2_sm_write_bytes_per_clk",
        "l2_sm_reduce_bytes_per_clk",
        "l2_warp_load_cycles",
        "l2_atomic_latency_cycles",
        "l2_sm_line_read_bytes_per_clk",
        "l2_sm_bulk_reduce_bytes_per_clk",
        "hbm_size_gib",
        "hbm_bandwidth_gbps",
        "hbm_write_bandwidth_gbps",
        "hbm_copy_bandwidth_gbps",
        "hbm_latency_ns",
        "kernel_launch_us",
        "cta_launch_ns",
        "tensor_flops_per_clk_per_sm.fp16",
        "tensor_flops_per_clk_per_sm.bf16",
        "tensor_flops_per_clk_per_sm.fp32",
        "fp32_flops_per_clk_per_sm",
        "sfu_ops_per_clk_per_sm",
        "mma_one_warp_flops_per_clk_per_sm",
        "smsp_per_sm",
        "issue_per_clk_per_smsp",
        "alu_ops_per_clk_per_sm",
        "cvt_ops_per_clk_per_sm",
        "shfl_ops_per_clk_per_sm",
        "fp32_latency_cycles",
        "mufu_latency_cycles",
        "mma_latency_cycles",
        "mma_fma_hidden_share",
        "ldmatrix_latency_cycles",
        "shfl_latency_cycles",
        "barrier_cycles",
        "l2_atomic_bytes_per_clk",
        "wgmma_flops_per_clk_per_sm",
        "wgmma_latency_cycles",
        "wgmma_fma_hidden_share",
        "wgmma_fma_rate_share",
        "wgmma_mufu_rate_share",
        "wgmma_alu_rate_share",
        "mbarrier_wait_cycles",
    };
    return keys;
}

std::string number_text(double value) {
    std::array<char, 64> buf{};
    const auto [end, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), value);
    if (ec != std::errc()) throw ConfigError("value", "?", "cannot be written as a number");
    return std::string(buf.data(), end);
}

std::string preset_yaml(const PresetText& preset) {
    if (!plain_word(preset.name))
        throw ConfigError("name", preset.name,
                          "must be a plain word (letters, digits, '-', '_', '.')");
    const std::set<std::string> known(preset_keys().begin(), preset_keys().end());
    for (const auto& [key, value] : preset.values)
        if (!known.count(key)) throw ConfigError(key, "unknown key", "not part of the GPU schema");

    std::string out;
    for (const auto& line : preset.header) out += "# " + one_line("header", line) + "\n";
    out += "name: " + preset.name + "\n";
    out += "description: " + quoted(one_line("description", preset.description)) + "\n";
    bool tensor_open = false;
    for (const auto& key : preset_keys()) {
        const auto it = preset.values.find(key);
        if (it == preset.values.end()) throw ConfigError(key, "missing", "required key");
        const Sourced& v = it->second;
        if (!std::isfinite(v.value))
            throw ConfigError(key, number_text(v.value), "must be a finite number");
        const std::string comment = one_line(key, v.source);
        if (const std::string group = group_comment(key); !group.empty()) out += group + "\n";
        if (key.rfind(k_tensor, 0) == 0) {
            if (!tensor_open) {
                out += with_comment(std::string(k_tensor) + ":",
                                    "mma.sync, the instruction of the modelled kernels") +
                       "\n";
                tensor_open = true;
            }
            const std::string dtype = key.substr(k_tensor.size() + 1);
            out += with_comment("  " + dtype + ": " + number_text(v.value), comment) + "\n";
            continue;
        }
        out += with_comment(key + ": " + number_text(v.value), comment) + "\n";
    }
    for (const auto& line : preset.notes) out += "# " + one_line("note", line) + "\n";
    return out;
}

std::string preset_name_from_device(const std::string& device_name) {
    std::string out;
    for (const char c : device_name) {
        const bool alnum =
            (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (alnum)
            out += (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
        else if (!out.empty() && out.back() != '-')
            out += '-';
    }
    while (!out.empty() && out.back() == '-') out.pop_back();
    return out.empty() ? "gpu" : out;
}

std::string utc_date() {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[16];
    std::strftime(text, sizeof text, "%Y-%m-%d", &utc);
    return text;
}

}  // namespace flashscope::ceilings
