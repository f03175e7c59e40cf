#pragma once
// Reads the rows an earlier (possibly killed) run of the same sweep left in its output file, so
// --resume computes only the rest. Every row must belong to this sweep and shard: its id must be
// the id of the point at its index, and no index may appear twice; otherwise a ResumeError names
// the file, the line and the row.
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

// A file that does not exist yields no rows. A last line without its newline (not written by
// flashscope, which writes whole files) is dropped so that its point is computed again.
RowStore read_existing_rows(const std::string& path, OutputFormat format,
                            const std::vector<SweepPoint>& points, const Shard& shard);

}  // namespace flashscope::sweep
