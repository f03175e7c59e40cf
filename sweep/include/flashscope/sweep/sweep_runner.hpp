#pragma once
// Runs a sweep: reads the file, expands the product, keeps this shard's points, skips those an
// earlier run already wrote (--resume), simulates the rest on `jobs` threads, and hands rows to a
// sink (the output file, written atomically per chunk, or a stream) in index order.
#include <atomic>
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>

#include "flashscope/sweep/row_format.hpp"
#include "flashscope/sweep/row_sink.hpp"
#include "flashscope/sweep/shard.hpp"

namespace flashscope::sweep {

struct SweepOptions {
    std::string spec_path;
    std::int64_t jobs = 0;               // threads; 0 = every usable core
    std::string out;                     // empty: rows go to the `out` stream
    std::optional<OutputFormat> format;  // default: from out's extension (.jsonl), else csv
    bool resume = false;                 // needs `out`
    Shard shard;                         // choose_shard() reads --shard (auto: SLURM_ARRAY_TASK_*)
    bool quiet = false;
    bool terminal = false;  // draw a progress bar rather than plain lines
    ChunkPolicy chunk;
    const std::atomic<bool>* stop =
        nullptr;  // set (e.g. by SIGTERM): finish running points, write, return
};

struct SweepSummary {
    std::int64_t points = 0;          // in the whole sweep
    std::int64_t shard_points = 0;    // in this shard
    std::int64_t resumed = 0;         // already in the output file
    std::int64_t resumed_not_ok = 0;  // of those, infeasible or error rows
    std::int64_t computed = 0;        // simulated by this run
    std::int64_t not_ok = 0;          // of those, infeasible or error rows
    std::string sweep_id;             // the identity every row carries (sweep_identity.hpp)
    bool stopped = false;             // `stop` was set before the end
    double seconds = 0;
};

SweepSummary run_sweep(const SweepOptions& options, std::ostream& out, std::ostream& log);

}  // namespace flashscope::sweep
