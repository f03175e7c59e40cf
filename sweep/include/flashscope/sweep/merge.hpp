#pragma once
// Joins the shard files of one sweep into the file an unsharded run would have written: rows in
// index order under one header. Every point 0..points-1 must appear exactly once across the
// files; otherwise a MergeError names the doubled points (with both files) and the missing ones.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace flashscope::sweep {

class MergeError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct MergeResult {
    std::string content;  // the merged file
    std::int64_t rows = 0;
};

// The format (csv or jsonl) is read from each file's first line; all files must agree.
MergeResult merge_shard_files(const std::vector<std::string>& paths);

}  // namespace flashscope::sweep
