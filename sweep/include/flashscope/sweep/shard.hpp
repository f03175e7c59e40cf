#pragma once
// Interleaved shards: shard I of N (0 <= I < N) owns the points whose index % N == I, so every
// shard gets a similar mix of cheap and expensive points.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace flashscope::sweep {

struct Shard {
    std::int64_t index = 0;
    std::int64_t count = 1;

    bool owns(std::int64_t point_index) const { return point_index % count == index; }
    bool operator==(const Shard&) const = default;
};

// "I/N"; throws ConfigError naming "shard".
Shard parse_shard(const std::string& text);

// From SLURM_ARRAY_TASK_ID, SLURM_ARRAY_TASK_COUNT and SLURM_ARRAY_TASK_MIN (default 0), as
// `sbatch --array=0-3` or `--array=1-4` sets them; nullopt outside a job array. `lookup` is
// getenv by default (tests pass their own).
using EnvLookup = std::function<const char*(const char*)>;
std::optional<Shard> shard_from_environment(const EnvLookup& lookup = nullptr);

// --shard's value: "" (the whole sweep), "I/N", or "auto": the Slurm array task's shard, the
// whole sweep outside a job array. A sweep never shards itself unasked: inside a job array without
// --shard it runs every point, and `note` says so (as it does for auto outside an array).
struct ShardChoice {
    Shard shard;
    std::string note;  // empty, or a line for stderr
};
ShardChoice choose_shard(const std::string& option, const EnvLookup& lookup = nullptr);

// The indices of 0..total-1 that the shard owns, ascending.
std::vector<std::int64_t> shard_indices(std::int64_t total, const Shard& shard);

}  // namespace flashscope::sweep
