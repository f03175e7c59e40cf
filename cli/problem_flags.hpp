#pragma once
// The problem and tile flags of `simulate`, for a command that simulates the configuration a
// measurement was taken on (validate --ncu). Same names, meanings and defaults as simulate's; to be
// generated from the one options table once it exists.
#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "flashscope/core/problem.hpp"
#include "flashscope/core/tile.hpp"

namespace flashscope::cli {

struct ProblemFlags {
    AttentionProblem problem;  // simulate's defaults
    static constexpr std::int64_t k_unset = -1;
    std::int64_t seq = k_unset, seq_q = k_unset, seq_k = k_unset, kv_heads = k_unset;
    std::string dtype = "bf16", pass = "fwd";
    TileConfig tile;
    bool naive_eager = false;

    AttentionProblem resolved() const;  // throws ConfigError for a bad dtype or pass
};

// Adds the flags to `cmd`; returns them so the caller can tie them to another flag.
std::vector<CLI::Option*> add_problem_flags(CLI::App& cmd, ProblemFlags& flags);

}  // namespace flashscope::cli
