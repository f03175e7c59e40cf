#include "flashscope/sweep/shard.hpp"

#include <cstdlib>

#include "flashscope/core/error.hpp"

namespace flashscope::sweep {
namespace {

std::optional<std::int64_t> whole(const std::string& text) {
    if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos ||
        text.size() > 15)
        return std::nullopt;
    return std::stoll(text);
}

Shard checked(const std::string& field, const std::string& text, std::optional<std::int64_t> index,
              std::optional<std::int64_t> count) {
    if (!index || !count)
        throw ConfigError(field, text,
                          field == "shard" ? "expected auto, or I/N with whole numbers (e.g. 0/4)"
                                           : "expected I/N with whole numbers, e.g. 0/4");
    if (*count < 1) throw ConfigError(field, text, "the number of shards must be at least 1");
    if (*index >= *count)
        throw ConfigError(field, text, "shards are numbered 0.." + std::to_string(*count - 1));
    return {*index, *count};
}

}  // namespace

Shard parse_shard(const std::string& text) {
    const std::size_t slash = text.find('/');
    if (slash == std::string::npos) return checked("shard", text, std::nullopt, std::nullopt);
    return checked("shard", text, whole(text.substr(0, slash)), whole(text.substr(slash + 1)));
}

std::optional<Shard> shard_from_environment(const EnvLookup& lookup) {
    const auto get = [&](const char* name) -> std::string {
        const char* v = lookup ? lookup(name) : std::getenv(name);
        return v ? v : "";
    };
    const std::string id = get("SLURM_ARRAY_TASK_ID");
    const std::string count = get("SLURM_ARRAY_TASK_COUNT");
    if (id.empty() && count.empty()) return std::nullopt;
    const std::string min = get("SLURM_ARRAY_TASK_MIN");
    const std::string text = id + "/" + count + (min.empty() ? "" : " (min " + min + ")");
    const auto id_value = whole(id);
    const auto min_value = min.empty() ? std::optional<std::int64_t>(0) : whole(min);
    if (!id_value || !min_value || *id_value < *min_value)
        return checked("SLURM_ARRAY_TASK_ID", text, std::nullopt, std::nullopt);
    return checked("SLURM_ARRAY_TASK_ID", text, *id_value - *min_value, whole(count));
}

ShardChoice choose_shard(const std::string& option, const EnvLookup& lookup) {
    if (option == "auto") {
        if (const std::optional<Shard> from_slurm = shard_from_environment(lookup))
            return {*from_slurm, ""};
        return {Shard{}, "note: --shard auto outside a Slurm job array: running every point"};
    }
    if (!option.empty()) return {parse_shard(option), ""};
    const char* task = lookup ? lookup("SLURM_ARRAY_TASK_ID") : std::getenv("SLURM_ARRAY_TASK_ID");
    if (task && *task)
        return {Shard{}, "note: this is Slurm array task " + std::string(task) +
                             " but --shard is not given: running every point (--shard auto runs "
                             "this task's share)"};
    return {Shard{}, ""};
}

std::vector<std::int64_t> shard_indices(std::int64_t total, const Shard& shard) {
    std::vector<std::int64_t> out;
    for (std::int64_t i = shard.index; i < total; i += shard.count) out.push_back(i);
    return out;
}

}  // namespace flashscope::sweep
