#pragma once
// A validation suite: YAML lists of problems and algorithms whose cross product is run.
//
//   name: default
//   batch: 1            # scalars or lists
//   heads: 16
//   dtype: bf16
//   cases:
//     - algorithms: [naive, flash2]
//       passes: [fwd, bwd]
//       head_dims: [64, 128]
//       seqs: [1024, 4096]
//       causal: [false, true]
//       tiles: all        # every built tile, or a list of {block_m, block_n, warps, stages}
//       batch: 1          # optional per-case override
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "flashscope/core/algorithm.hpp"
#include "flashscope/core/problem.hpp"
#include "flashscope/core/tile.hpp"

namespace flashscope::validate {

struct SuiteCase {
    std::vector<Algorithm> algorithms;
    std::vector<Pass> passes;
    std::vector<std::int64_t> head_dims;
    std::vector<std::int64_t> seqs;
    std::vector<bool> causal;
    bool all_tiles = true;
    std::vector<TileConfig> tiles;  // when not all_tiles
    std::int64_t batch = 1;
    std::int64_t heads = 16;
    DType dtype = DType::bf16;
};

struct ValidationSuite {
    std::string name;
    std::vector<SuiteCase> cases;
};

struct ValidationCase {
    AttentionProblem problem;
    Algorithm algorithm = Algorithm::flash2;
    TileConfig tile;
};

ValidationSuite parse_suite(const std::string& yaml_text);  // throws ConfigError naming the key
ValidationSuite load_suite(const std::string& path);

// The cross product; `tiles_for` lists the built tiles for cases with `tiles: all`.
using TileLister =
    std::function<std::vector<TileConfig>(Algorithm, Pass, DType, std::int64_t head_dim)>;
std::vector<ValidationCase> expand(const ValidationSuite& suite, const TileLister& tiles_for);

}  // namespace flashscope::validate
