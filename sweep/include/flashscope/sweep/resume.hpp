#pragma once
// Reads the rows an earlier (possibly killed) run of the same sweep left in its output file, so
// --resume computes only the rest. Every row must be well-formed (row_reader.hpp), carry this
// sweep's identity, hold at its index the point this sweep has there, belong to this shard and
// appear once; otherwise a ResumeError names the file and line, says what is wrong and what to do.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "flashscope/sweep/row_format.hpp"
#include "flashscope/sweep/row_store.hpp"
#include "flashscope/sweep/shard.hpp"
#include "flashscope/sweep/sweep_point.hpp"

namespace flashscope::sweep {

class ResumeError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct ExistingRows {
    RowStore rows;
    std::int64_t not_ok = 0;  // of them, infeasible or error rows
};

// A file that does not exist yields no rows. A last line without its newline (not written by
// flashscope, which writes whole files) is dropped so that its point is computed again.
ExistingRows read_existing_rows(const std::string& path, const RowContext& context,
                                const std::vector<SweepPoint>& points, const Shard& shard);

}  // namespace flashscope::sweep
