#pragma once
// A row of a sweep output read back (--resume, merge) and checked: its shape must be exactly what
// this version writes (the header's columns in CSV; in JSON lines the fields of its status, no
// more, no fewer), its status, reason and results must agree, and its id must be the digest of its
// point (the requested configuration). Result values themselves are not checked.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "flashscope/sweep/row_format.hpp"

namespace flashscope::sweep {

enum class RowStatus { ok, infeasible, error };

struct SweepRow {
    std::string id;
    std::int64_t index = 0;
    std::int64_t points = 0;
    std::string sweep_id;
    RowStatus status = RowStatus::ok;
};

// Says what is wrong with a row; the caller adds the file and line.
class RowError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// `line` without its '\n'.
SweepRow read_row(std::string_view line, OutputFormat format);

// The cells of one CSV line as sim::csv_line() writes them (quoted where needed).
std::vector<std::string> split_csv_line(std::string_view line);

}  // namespace flashscope::sweep
