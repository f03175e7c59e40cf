#include "flashscope/sweep/spec_values.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "flashscope/core/error.hpp"
#include "flashscope/core/tile.hpp"

namespace flashscope::sweep {
namespace {

bool names_a_file(std::string_view text) {
    return text.ends_with(".yaml") || text.ends_with(".yml");
}

// A problem every per-value check passes: one batch, one head, the default lengths and head_dim.
AttentionProblem smallest_problem() {
    AttentionProblem p;
    p.batch = 1;
    p.heads = 1;
    p.kv_heads = 1;
    return p;
}

}  // namespace

std::string value_text(std::int64_t value) {
    return std::to_string(value);
}
std::string value_text(bool value) {
    return value ? "true" : "false";
}
std::string value_text(const std::string& value) {
    return value;
}
std::string value_text(sim::Model value) {
    return std::string(to_string(value));
}
std::string value_text(Algorithm value) {
    return std::string(to_string(value));
}
std::string value_text(Pass value) {
    return std::string(to_string(value));
}
std::string value_text(DType value) {
    return std::string(to_string(value));
}

std::string listed_twice(const std::string& earlier, const std::string& now,
                         const std::string& normalised) {
    std::string text = "'" + now + "' is listed twice";
    if (earlier != now)
        text += " ('" + earlier + "' and '" + now + "' are both " + normalised + ")";
    return text;
}

void check_value(std::string_view key, std::int64_t value) {
    // The simulator's own checks, on a problem or tile where only this value can be wrong.
    AttentionProblem p = smallest_problem();
    TileConfig tile;
    if (key == "batch") {
        p.batch = value;
    } else if (key == "heads") {
        p.heads = value;  // kv_heads 1 divides any head count
    } else if (key == "kv_heads") {
        p.heads = p.kv_heads = value;
    } else if (key == "seq" || key == "seq_q" || key == "seq_k") {
        p.seq_q = p.seq_k = value;
    } else if (key == "head_dim") {
        p.head_dim = value;
    } else if (key == "block_m") {
        tile.block_m = value;
    } else if (key == "block_n") {
        tile.block_n = value;
    } else if (key == "warps") {
        tile.warps = value;
    } else if (key == "stages") {
        tile.stages = value;
    } else {
        return;
    }
    p.validate();
    tile.validate();
}

SweepGpu load_sweep_gpu(const std::string& written, const std::string& spec_origin) {
    SweepGpu gpu;
    if (!names_a_file(written)) {
        gpu.name = written;
        gpu.yaml = std::string(sim::gpu_preset_yaml(written));
        gpu.spec = sim::parse_gpu_yaml(gpu.yaml, written);
        return gpu;
    }
    const std::filesystem::path as_written = std::filesystem::path(written).lexically_normal();
    gpu.name = as_written.string();
    const std::filesystem::path file =
        as_written.is_absolute() ? as_written
                                 : std::filesystem::path(spec_origin).parent_path() / as_written;
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw ConfigError(
            "gpu", file.string(),
            "cannot open the GPU file (relative paths start at the sweep file's folder)");
    std::ostringstream text;
    text << in.rdbuf();
    gpu.yaml = text.str();
    gpu.spec = sim::parse_gpu_yaml(gpu.yaml, file.string());
    return gpu;
}

}  // namespace flashscope::sweep
