#pragma once
// Geometry of the tiled attention matrix: row blocks of block_m queries, column blocks of
// block_n keys, partial last blocks, and which blocks the causal mask leaves visible.
#include <algorithm>
#include <cstdint>

#include "flashscope/core/problem.hpp"
#include "flashscope/core/tile.hpp"

namespace flashscope::sim {

inline std::int64_t ceil_div(std::int64_t a, std::int64_t b) {
    return (a + b - 1) / b;
}

class TileGrid {
public:
    TileGrid(const AttentionProblem& problem, const TileConfig& tile)
        : m_seq_q(problem.seq_q),
          m_seq_k(problem.seq_k),
          m_block_m(tile.block_m),
          m_block_n(tile.block_n),
          m_causal(problem.causal) {}

    std::int64_t row_blocks() const { return ceil_div(m_seq_q, m_block_m); }  // Tr
    std::int64_t col_blocks() const { return ceil_div(m_seq_k, m_block_n); }  // Tc
    std::int64_t rows(std::int64_t i) const { return std::min(m_block_m, m_seq_q - i * m_block_m); }
    std::int64_t cols(std::int64_t j) const { return std::min(m_block_n, m_seq_k - j * m_block_n); }
    // Keys in column blocks [0, j_end).
    std::int64_t cols_before(std::int64_t j_end) const {
        return std::min(j_end * m_block_n, m_seq_k);
    }
    // Queries in row blocks [i_begin, Tr).
    std::int64_t rows_from(std::int64_t i_begin) const {
        return std::max<std::int64_t>(0, m_seq_q - i_begin * m_block_m);
    }

    // Column blocks [0, visible_cols(i)) hold at least one key that row block i may see.
    // Bottom-right causal alignment: query r sees keys c <= r + seq_k - seq_q.
    std::int64_t visible_cols(std::int64_t i) const {
        if (!m_causal) return col_blocks();
        const std::int64_t last_key = i * m_block_m + rows(i) - 1 + (m_seq_k - m_seq_q);
        if (last_key < 0) return 0;
        return std::min(col_blocks(), last_key / m_block_n + 1);
    }
    // Row blocks [first_visible_row(j), Tr) see column block j.
    std::int64_t first_visible_row(std::int64_t j) const {
        if (!m_causal) return 0;
        // Smallest query r with r + seq_k - seq_q >= j * block_n.
        const std::int64_t r = std::max<std::int64_t>(0, j * m_block_n - (m_seq_k - m_seq_q));
        return std::min(row_blocks(), r / m_block_m);
    }
    bool causal() const { return m_causal; }
    std::int64_t block_m() const { return m_block_m; }
    std::int64_t block_n() const { return m_block_n; }
    std::int64_t seq_q() const { return m_seq_q; }
    std::int64_t seq_k() const { return m_seq_k; }

private:
    std::int64_t m_seq_q, m_seq_k, m_block_m, m_block_n;
    bool m_causal;
};

}  // namespace flashscope::sim
