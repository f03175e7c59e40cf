#include "flashscope/sim/tile_grid.hpp"

#include <gtest/gtest.h>

using namespace flashscope;
using namespace flashscope::sim;

namespace {

bool block_visible_brute(const TileGrid& g, std::int64_t i, std::int64_t j) {
    for (std::int64_t r = i * g.block_m(); r < i * g.block_m() + g.rows(i); ++r)
        for (std::int64_t c = j * g.block_n(); c < j * g.block_n() + g.cols(j); ++c)
            if (c <= r + g.seq_k() - g.seq_q()) return true;
    return false;
}

}  // namespace

TEST(TileGrid, CausalVisibilityMatchesElementwiseCheckBothWays) {
    for (auto [sq, sk] :
         {std::pair{100, 100}, std::pair{97, 1025}, std::pair{1000, 17}, std::pair{64, 64}}) {
        AttentionProblem p;
        p.seq_q = sq;
        p.seq_k = sk;
        p.causal = true;
        const TileGrid g(p, TileConfig{32, 48, 1, 1});
        for (std::int64_t i = 0; i < g.row_blocks(); ++i)
            for (std::int64_t j = 0; j < g.col_blocks(); ++j) {
                const bool brute = block_visible_brute(g, i, j);
                EXPECT_EQ(j < g.visible_cols(i), brute)
                    << sq << "x" << sk << " block " << i << "," << j;
                EXPECT_EQ(i >= g.first_visible_row(j), brute)
                    << sq << "x" << sk << " block " << i << "," << j;
            }
    }
}

TEST(TileGrid, PartialLastBlocks) {
    AttentionProblem p;
    p.seq_q = 1025;
    p.seq_k = 17;
    const TileGrid g(p, TileConfig{128, 16, 1, 1});
    EXPECT_EQ(g.row_blocks(), 9);
    EXPECT_EQ(g.rows(8), 1);
    EXPECT_EQ(g.col_blocks(), 2);
    EXPECT_EQ(g.cols(1), 1);
    EXPECT_EQ(g.cols_before(2), 17);
    EXPECT_EQ(g.rows_from(8), 1);
}
